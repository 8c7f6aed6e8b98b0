/** G.711 µ-law → 16-bit linear PCM (ITU-T G.711), one sample per byte. */
export function mulawToPcm16(mulaw: Buffer): Int16Array {
  const pcm = new Int16Array(mulaw.length)
  for (let i = 0; i < mulaw.length; i++) pcm[i] = MULAW_TABLE[mulaw[i]!]!
  return pcm
}

const MULAW_TABLE = (() => {
  const table = new Int16Array(256)
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff
    const sign = u & 0x80
    const exponent = (u >> 4) & 0x07
    const mantissa = u & 0x0f
    const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    table[i] = sign ? -magnitude : magnitude
  }
  return table
})()

/** A RIFF/WAVE file: mono 16-bit PCM at the given rate. */
export function pcm16Wav(samples: Int16Array, sampleRate = 8000): Buffer {
  const data = samples.length * 2
  const wav = Buffer.alloc(44 + data)
  wav.write('RIFF', 0, 'ascii')
  wav.writeUInt32LE(36 + data, 4)
  wav.write('WAVE', 8, 'ascii')
  wav.write('fmt ', 12, 'ascii')
  wav.writeUInt32LE(16, 16)
  wav.writeUInt16LE(1, 20) // PCM
  wav.writeUInt16LE(1, 22) // mono
  wav.writeUInt32LE(sampleRate, 24)
  wav.writeUInt32LE(sampleRate * 2, 28)
  wav.writeUInt16LE(2, 32)
  wav.writeUInt16LE(16, 34)
  wav.write('data', 36, 'ascii')
  wav.writeUInt32LE(data, 40)
  for (let i = 0; i < samples.length; i++) wav.writeInt16LE(samples[i]!, 44 + i * 2)
  return wav
}

/** One channel of a call (8 kHz µ-law) as a WAV a speech recogniser takes. */
export const mulawToWav = (mulaw: Buffer): Buffer => pcm16Wav(mulawToPcm16(mulaw), 8000)

/** The header of a mono 16-bit PCM WAV, checked: its sample rate and samples, or why it is not one. */
export function parsePcm16Wav(wav: Buffer): { sampleRate: number; samples: Int16Array } | { error: string } {
  if (wav.length < 44) return { error: 'shorter than a WAV header' }
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE')
    return { error: 'not RIFF/WAVE' }
  if (wav.toString('ascii', 12, 16) !== 'fmt ' || wav.readUInt16LE(20) !== 1) return { error: 'not PCM' }
  if (wav.readUInt16LE(22) !== 1 || wav.readUInt16LE(34) !== 16) return { error: 'not mono 16-bit' }
  if (wav.toString('ascii', 36, 40) !== 'data') return { error: 'no data chunk' }
  const size = wav.readUInt32LE(40)
  if (44 + size !== wav.length || wav.readUInt32LE(4) !== 36 + size)
    return { error: 'chunk sizes do not match the file' }
  const samples = new Int16Array(size / 2)
  for (let i = 0; i < samples.length; i++) samples[i] = wav.readInt16LE(44 + i * 2)
  return { sampleRate: wav.readUInt32LE(24), samples }
}
