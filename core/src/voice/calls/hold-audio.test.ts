import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { holdMusic } from './hold-audio.js'

const sox = '/usr/bin/sox'
const dir = mkdtempSync(join(tmpdir(), 'sb-hold-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** G.711 µ-law byte → linear sample in -1…1 */
function ulaw(byte: number): number {
  const u = ~byte & 0xff
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)
  return ((u & 0x80 ? 0x84 - t : t - 0x84) as number) / 32768
}

/** 20 ms frames with sound in them (any sample above -50 dBFS) */
function soundingFrames(audio: Buffer): { frames: number; sounding: number; peak: number } {
  let sounding = 0
  let peak = 0
  const frames = Math.floor(audio.length / 160)
  for (let f = 0; f < frames; f++) {
    let loud = 0
    for (let i = f * 160; i < (f + 1) * 160; i++) loud = Math.max(loud, Math.abs(ulaw(audio[i]!)))
    if (loud > 0.003) sounding += 1
    peak = Math.max(peak, loud)
  }
  return { frames, sounding, peak }
}

describe.skipIf(!existsSync(sox))('hold music: made once with sox, 8 kHz µ-law, loopable', () => {
  it('makes the built-in music: 8 s of quiet chords with sound all through, cached under the data dir', async () => {
    const dataDir = join(dir, 'built-in')
    const [a, b] = await Promise.all([holdMusic({ dataDir }), holdMusic({ dataDir })])
    expect(a.equals(b)).toBe(true)
    expect(a.length).toBe(8 * 8000)
    const { frames, sounding, peak } = soundingFrames(a)
    // music all the way (the chords' fades are the only quiet moments), and low: peak about -14 dBFS
    expect(sounding / frames).toBeGreaterThan(0.95)
    expect(peak).toBeGreaterThan(0.1)
    expect(peak).toBeLessThan(0.3)
    // it loops without a click: both ends fade to near silence
    expect(Math.abs(ulaw(a[0]!))).toBeLessThan(0.02)
    expect(Math.abs(ulaw(a[a.length - 1]!))).toBeLessThan(0.02)
    const cached = readdirSync(join(dataDir, 'voice', 'hold'))
    expect(cached).toEqual(['built-in-v1.ul'])
    expect(readFileSync(join(dataDir, 'voice', 'hold', 'built-in-v1.ul')).equals(a)).toBe(true)
  })

  it('converts an admin’s file once, cached by its content: a changed file is converted again', async () => {
    const dataDir = join(dir, 'own')
    mkdirSync(join(dataDir, 'voice', 'audio'), { recursive: true })
    const file = join(dataDir, 'voice', 'audio', 'jingle.wav')
    // 2 s of 16 kHz stereo: converted down to 8 kHz mono µ-law
    execFileSync(sox, ['-V1', '-n', '-r', '16000', '-c', '2', file, 'synth', '2', 'sine', '440', 'gain', '-3'])
    const first = await holdMusic({ dataDir, file: 'jingle.wav' })
    expect(first.length).toBe(2 * 8000)
    expect(soundingFrames(first).sounding).toBeGreaterThan(95)
    expect(await holdMusic({ dataDir, file })).toBe(first) // absolute path, same content: the same conversion

    execFileSync(sox, ['-V1', '-n', '-r', '16000', '-c', '1', file, 'synth', '3', 'sine', '330'])
    const second = await holdMusic({ dataDir, file: 'jingle.wav' })
    expect(second.length).toBe(3 * 8000)
    expect(readdirSync(join(dataDir, 'voice', 'hold')).filter((f) => f.startsWith('file-'))).toHaveLength(2)
  })

  it('plays the built-in music when the admin’s file is missing or not audio, and says why', async () => {
    const dataDir = join(dir, 'broken')
    mkdirSync(join(dataDir, 'voice', 'audio'), { recursive: true })
    writeFileSync(join(dataDir, 'voice', 'audio', 'notes.wav'), 'not audio at all')
    const warnings: string[] = []
    const logger = { warn: (_: unknown, message: string) => void warnings.push(message) }
    const missing = await holdMusic({ dataDir, file: 'nowhere.mp3', logger })
    const broken = await holdMusic({ dataDir, file: 'notes.wav', logger })
    expect(missing.length).toBe(8 * 8000)
    expect(broken.equals(missing)).toBe(true)
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain('voice.holdMusicFile')
  })
})
