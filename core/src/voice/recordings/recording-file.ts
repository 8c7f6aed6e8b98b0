import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { mkdir, open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * The encrypted recording file (`.sbrec`): a header, then chunks each sealed with AES-256-GCM.
 *
 *   header:  "SBREC" 0x01 | u16 keyId length | keyId | u16 recordingId length | recordingId
 *            | 16-byte salt | u16 format length | format
 *   chunk:   u32 plaintext length | 12-byte nonce | 16-byte tag | ciphertext
 *
 * The file's key is derived (HKDF-SHA256) from the personal-data key ring's key `keyId` and the
 * file's salt; each chunk has a nonce of its own and binds the recording id and its index as
 * additional data (chunks cannot be reordered, dropped in the middle or moved to another file).
 * Chunks are written as the call goes (one per second of audio), so a crash leaves a readable
 * prefix and no recording is ever whole in memory.
 */
const MAGIC = Buffer.from('SBREC\u0001', 'latin1')
const SALT_BYTES = 16
const NONCE_BYTES = 12
const TAG_BYTES = 16
const CHUNK_HEAD = 4 + NONCE_BYTES + TAG_BYTES
/** plaintext bytes per chunk: 1 s of stereo 8 kHz µ-law */
export const CHUNK_BYTES = 16_000
/** a chunk longer than this is a damaged file */
const MAX_CHUNK = 1 << 22
/** interleaved samples: left the caller, right the other side (prompts, the agent) */
export const RECORDING_FORMAT = 'pcmu-stereo-8k'

export interface RecordingKey {
  id: string
  key: Buffer
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, 'switchboard call recording v1', 32))
}

function chunkAad(recordingId: string, index: number): Buffer {
  const aad = Buffer.alloc(4)
  aad.writeUInt32BE(index)
  return Buffer.concat([Buffer.from(recordingId, 'utf8'), aad])
}

function u16String(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  const length = Buffer.alloc(2)
  length.writeUInt16BE(bytes.length)
  return Buffer.concat([length, bytes])
}

/** Writes one recording: plaintext goes in as it comes, sealed chunks go to disk in order. */
export class RecordingFileWriter {
  private readonly pending: Buffer[] = []
  private pendingBytes = 0
  private index = 0
  private chain: Promise<void>
  private handle: FileHandle | undefined
  private failure: unknown
  private closed = false
  /** bytes written to the file so far (header and chunks) */
  bytes = 0
  /** plaintext bytes taken */
  plaintextBytes = 0
  private readonly key: Buffer

  constructor(
    readonly path: string,
    private readonly recordingId: string,
    ring: RecordingKey,
  ) {
    const salt = randomBytes(SALT_BYTES)
    this.key = fileKey(ring.key, salt)
    const header = Buffer.concat([MAGIC, u16String(ring.id), u16String(recordingId), salt, u16String(RECORDING_FORMAT)])
    this.chain = (async () => {
      await mkdir(dirname(path), { recursive: true })
      this.handle = await open(path, 'wx', 0o600)
      await this.handle.write(header)
      this.bytes += header.length
    })()
    this.chain.catch((error: unknown) => (this.failure ??= error))
  }

  /** the first write error, if any (the recording is then failed) */
  get error(): unknown {
    return this.failure
  }

  write(plaintext: Buffer): void {
    if (this.closed) return
    this.pending.push(plaintext)
    this.pendingBytes += plaintext.length
    this.plaintextBytes += plaintext.length
    if (this.pendingBytes >= CHUNK_BYTES) this.seal(false)
  }

  /** Seals what is left and closes the file; rejects with the first write error. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      this.seal(true)
      this.chain = this.chain.finally(() => this.handle?.close())
    }
    await this.chain.catch(() => undefined)
    if (this.failure) throw this.failure
  }

  private seal(all: boolean): void {
    const data = Buffer.concat(this.pending.splice(0))
    this.pendingBytes = 0
    let offset = 0
    while (data.length - offset >= CHUNK_BYTES || (all && offset < data.length)) {
      const plain = data.subarray(offset, offset + CHUNK_BYTES)
      offset += plain.length
      const nonce = randomBytes(NONCE_BYTES)
      const cipher = createCipheriv('aes-256-gcm', this.key, nonce)
      cipher.setAAD(chunkAad(this.recordingId, this.index++))
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()])
      const head = Buffer.alloc(4)
      head.writeUInt32BE(plain.length)
      const chunk = Buffer.concat([head, nonce, cipher.getAuthTag(), sealed])
      this.chain = this.chain.then(async () => {
        if (this.failure) return
        await this.handle!.write(chunk)
        this.bytes += chunk.length
      })
      this.chain.catch((error: unknown) => (this.failure ??= error))
    }
    if (offset < data.length) {
      this.pending.push(data.subarray(offset))
      this.pendingBytes = data.length - offset
    }
  }
}

export interface RecordingFileHeader {
  keyId: string
  recordingId: string
  format: string
}

/** The error of a file that is not a recording, or was sealed with a key no longer in the ring. */
export class RecordingFileError extends Error {}

/**
 * Reads a recording back, chunk by chunk (decrypted plaintext), without holding it whole. A
 * truncated last chunk (the process died mid-write) ends the audio; a chunk that fails
 * authentication throws.
 */
export async function* readRecordingFile(
  path: string,
  keys: (keyId: string) => Buffer | undefined,
  expectedRecordingId?: string,
): AsyncGenerator<Buffer, void, undefined> {
  const handle = await open(path, 'r')
  try {
    let position = 0
    const read = async (length: number): Promise<Buffer | null> => {
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await handle.read(buffer, 0, length, position)
      position += bytesRead
      return bytesRead === length ? buffer : null
    }
    const readString = async (): Promise<string | null> => {
      const length = await read(2)
      if (!length) return null
      const text = await read(length.readUInt16BE(0))
      return text ? text.toString('utf8') : null
    }
    const magic = await read(MAGIC.length)
    if (!magic || !magic.equals(MAGIC)) throw new RecordingFileError(`${path} is not a Switchboard recording`)
    const keyId = await readString()
    const recordingId = await readString()
    const salt = await read(SALT_BYTES)
    const format = await readString()
    if (keyId === null || recordingId === null || !salt || format === null)
      throw new RecordingFileError(`${path}: the recording's header is cut short`)
    if (expectedRecordingId !== undefined && recordingId !== expectedRecordingId)
      throw new RecordingFileError(`${path} holds recording ${recordingId}, not ${expectedRecordingId}`)
    const ringKey = keys(keyId)
    if (!ringKey)
      throw new RecordingFileError(
        `the recording was sealed with key "${keyId}", which is not in the key ring; restore that key to SWITCHBOARD_PII_KEYS or secrets.json`,
      )
    const key = fileKey(ringKey, salt)
    for (let index = 0; ; index++) {
      const head = await read(CHUNK_HEAD)
      if (!head) return
      const length = head.readUInt32BE(0)
      if (length === 0 || length > MAX_CHUNK) throw new RecordingFileError(`${path}: chunk ${index} is damaged`)
      const sealed = await read(length)
      if (!sealed) return // the last chunk was being written when the process stopped
      const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(4, 4 + NONCE_BYTES))
      decipher.setAAD(chunkAad(recordingId, index))
      decipher.setAuthTag(head.subarray(4 + NONCE_BYTES))
      let plain: Buffer
      try {
        plain = Buffer.concat([decipher.update(sealed), decipher.final()])
      } catch (error) {
        throw new RecordingFileError(`${path}: chunk ${index} failed authentication (tampered, or the wrong key)`, {
          cause: error,
        })
      }
      yield plain
    }
  } finally {
    await handle.close()
  }
}

/** Splits interleaved stereo µ-law into its two channels. */
export function splitChannels(stereo: Buffer): { left: Buffer; right: Buffer } {
  const samples = stereo.length >> 1
  const left = Buffer.alloc(samples)
  const right = Buffer.alloc(samples)
  for (let i = 0; i < samples; i++) {
    left[i] = stereo[2 * i]!
    right[i] = stereo[2 * i + 1]!
  }
  return { left, right }
}

/** Interleaves two µ-law frames of the same length (left, right). */
export function interleave(left: Buffer, right: Buffer): Buffer {
  const out = Buffer.alloc(left.length * 2)
  for (let i = 0; i < left.length; i++) {
    out[2 * i] = left[i]!
    out[2 * i + 1] = right[i] ?? 0xff
  }
  return out
}
