import { describe, expect, it } from 'vitest'
import { mergeChannels } from './call-transcription.js'
import { mulawToPcm16, mulawToWav, parsePcm16Wav } from './wav.js'

describe('µ-law to WAV', () => {
  it('decodes G.711 µ-law as the standard table says', () => {
    // 0xFF and 0x7F are the two zeros; 0x80 / 0x00 the largest magnitudes; 0xEF a small positive value
    expect([...mulawToPcm16(Buffer.from([0xff, 0x7f, 0x80, 0x00, 0xef, 0x6f]))]).toEqual([
      0, 0, 32124, -32124, 132, -132,
    ])
  })

  it('writes a mono 16-bit 8 kHz WAV whose header and samples read back', () => {
    const wav = mulawToWav(Buffer.from([0xff, 0x80, 0x00]))
    expect(wav.length).toBe(44 + 6)
    const parsed = parsePcm16Wav(wav)
    expect(parsed).toEqual({ sampleRate: 8000, samples: new Int16Array([0, 32124, -32124]) })
    expect(parsePcm16Wav(wav.subarray(0, 40))).toEqual({ error: 'shorter than a WAV header' })
  })
})

describe('merging the two channels of a call', () => {
  it('orders the segments by time, the caller as caller and the other side as agent', () => {
    const merged = mergeChannels(
      [
        { startMs: 3000, endMs: 5000, text: 'b' },
        { startMs: 22500, endMs: 24000, text: 'e' },
      ],
      [
        { startMs: 500, endMs: 2500, text: 'a' },
        { startMs: 5500, endMs: 7500, text: 'c' },
        { startMs: 20000, endMs: 22000, text: 'd' },
      ],
    )
    expect(merged.map((s) => `${s.speaker}:${s.text}`)).toEqual([
      'agent:a',
      'caller:b',
      'agent:c',
      'agent:d',
      'caller:e',
    ])
  })
})
