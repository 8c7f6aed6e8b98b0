import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CHUNK_BYTES, RecordingFileWriter, interleave, readRecordingFile, splitChannels } from './recording-file.js'

const dir = await mkdtemp(join(tmpdir(), 'sbrec-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const oldKey = { id: 'k-old', key: randomBytes(32) }
const newKey = { id: 'k-new', key: randomBytes(32) }
const ring =
  (...keys: Array<{ id: string; key: Buffer }>) =>
  (id: string) =>
    keys.find((k) => k.id === id)?.key

/** `seconds` of stereo frames: left a counting pattern, right its complement */
function frames(seconds: number): Buffer[] {
  const out: Buffer[] = []
  for (let f = 0; f < seconds * 50; f++) {
    const left = Buffer.alloc(160, (f % 200) + 1)
    const right = Buffer.alloc(160, 255 - (f % 200))
    out.push(interleave(left, right))
  }
  return out
}

async function readAll(path: string, keys: ReturnType<typeof ring>, id?: string) {
  const chunks: Buffer[] = []
  for await (const chunk of readRecordingFile(path, keys, id)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

describe('the encrypted recording file', () => {
  it('round-trips in chunks, never in the clear on disk', async () => {
    const path = join(dir, 'a.sbrec')
    const writer = new RecordingFileWriter(path, 'rec-a', newKey)
    const input = frames(2.5)
    for (const frame of input) writer.write(frame)
    await writer.close()
    const plain = Buffer.concat(input)
    expect(writer.plaintextBytes).toBe(plain.length)
    const file = await readFile(path)
    expect(writer.bytes).toBe(file.length)
    // three chunks: 1 s, 1 s, 0.5 s, each with its own 32-byte head
    expect(file.length).toBeGreaterThan(plain.length + 3 * 32)
    expect(file.includes(input[10]!.subarray(0, 64))).toBe(false)
    const back = await readAll(path, ring(newKey), 'rec-a')
    expect(back.equals(plain)).toBe(true)
    const { left, right } = splitChannels(back.subarray(0, 320))
    expect(left.equals(Buffer.alloc(160, 1))).toBe(true)
    expect(right.equals(Buffer.alloc(160, 255))).toBe(true)
  })

  it('keeps its key id: readable after a rotation while the old key is in the ring, not without it', async () => {
    const path = join(dir, 'b.sbrec')
    const writer = new RecordingFileWriter(path, 'rec-b', oldKey)
    for (const frame of frames(1)) writer.write(frame)
    await writer.close()
    expect((await readAll(path, ring(newKey, oldKey))).length).toBe(CHUNK_BYTES)
    await expect(readAll(path, ring(newKey))).rejects.toThrow(/k-old.*not in the key ring/)
  })

  it('a crash leaves a readable prefix: a half-written last chunk ends the audio', async () => {
    const path = join(dir, 'c.sbrec')
    const writer = new RecordingFileWriter(path, 'rec-c', newKey)
    for (const frame of frames(3)) writer.write(frame)
    await writer.close()
    const size = (await readFile(path)).length
    await truncate(path, size - 100)
    expect((await readAll(path, ring(newKey))).length).toBe(2 * CHUNK_BYTES)
  })

  it('refuses a tampered chunk, a chunk moved to another recording, and a file that is not one', async () => {
    const path = join(dir, 'd.sbrec')
    const writer = new RecordingFileWriter(path, 'rec-d', newKey)
    for (const frame of frames(2)) writer.write(frame)
    await writer.close()
    const file = await readFile(path)
    const tampered = Buffer.from(file)
    tampered[tampered.length - 10]! ^= 0x01
    await writeFile(join(dir, 'e.sbrec'), tampered)
    await expect(readAll(join(dir, 'e.sbrec'), ring(newKey))).rejects.toThrow(/chunk 1 failed authentication/)
    await expect(readAll(path, ring(newKey), 'rec-other')).rejects.toThrow(/holds recording rec-d/)
    await writeFile(join(dir, 'f.sbrec'), 'RIFF....WAVE')
    await expect(readAll(join(dir, 'f.sbrec'), ring(newKey))).rejects.toThrow(/not a Switchboard recording/)
  })
})
