import { z } from 'zod'

/**
 * `speech`: text-to-speech and speech recognition for calls. Audio crosses the sandbox as
 * base64 text; a call's audio stays with the host's media engine.
 *
 * @example
 * ```ts
 * // { text: '您好', language: 'zh-CN' } → { audio: '<base64 WAV>', mimeType: 'audio/wav' }
 * ```
 */
export const speech = {
  name: 'speech',
  alias: 'speech',
  title: { en: 'Speech (TTS / ASR)', 'zh-CN': '语音合成/识别' },
  methods: {
    synthesize: {
      input: z.object({ text: z.string().max(2000), language: z.enum(['en', 'zh-CN']), voice: z.string().optional() }),
      output: z.object({ audio: z.string().describe('base64'), mimeType: z.string() }),
    },
    transcribe: {
      input: z.object({
        audio: z.string().describe('base64'),
        mimeType: z.string(),
        language: z.enum(['en', 'zh-CN']),
      }),
      output: z.object({ text: z.string(), confidence: z.number().optional() }),
    },
  },
} as const
