/** the size of the canonical 44-byte WAV header */
export const WAV_HEADER_BYTES = 44

/** The header of a 16-bit PCM, stereo, 8 kHz WAV file whose data has `dataBytes` bytes. */
export function wavHeader(dataBytes: number, channels = 2, sampleRate = 8000): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES)
  const blockAlign = channels * 2
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + dataBytes, 4)
  header.write('WAVE', 8, 'ascii')
  header.write('fmt ', 12, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(channels, 22)
  header.writeUInt32LE(sampleRate, 24)
  header.writeUInt32LE(sampleRate * blockAlign, 28)
  header.writeUInt16LE(blockAlign, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(dataBytes, 40)
  return header
}

/** G.711 µ-law byte → 16-bit linear sample */
const MULAW = new Int16Array(256)
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff
  const exponent = (u >> 4) & 0x07
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84
  MULAW[i] = u & 0x80 ? -magnitude : magnitude
}

/** µ-law bytes (any channel layout) → 16-bit little-endian PCM in the same layout. */
export function mulawStereoToPcm16(mulaw: Buffer): Buffer {
  const out = Buffer.alloc(mulaw.length * 2)
  for (let i = 0; i < mulaw.length; i++) out.writeInt16LE(MULAW[mulaw[i]!]!, i * 2)
  return out
}

/** µ-law bytes → linear samples. */
export function mulawToLinear(mulaw: Buffer): Int16Array {
  const out = new Int16Array(mulaw.length)
  for (let i = 0; i < mulaw.length; i++) out[i] = MULAW[mulaw[i]!]!
  return out
}
