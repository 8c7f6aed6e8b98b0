import type { SpeechSegment, SpeechToText } from './speech-to-text.js'

export interface OpenAiTranscriptionSettings {
  /** e.g. https://api.openai.com/v1 (the path /audio/transcriptions is added) */
  baseUrl: string
  model: string
  apiKey?: string
  /** ISO-639-1 hint, e.g. zh or en; the recogniser detects it when absent */
  language?: string
  timeoutMs?: number
}

interface VerboseJson {
  text?: unknown
  duration?: unknown
  segments?: Array<{ start?: unknown; end?: unknown; text?: unknown }>
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * Speech to text over the OpenAI-compatible `POST /audio/transcriptions` (OpenAI Whisper,
 * faster-whisper-server, LocalAI, vLLM and others speak it): the WAV as a multipart `file` with
 * `model`, `response_format=verbose_json` and segment timestamps, read back as timed segments.
 */
export function createOpenAiTranscription(settings: OpenAiTranscriptionSettings): SpeechToText {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`
  return {
    async transcribe({ wav, language }) {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'audio.wav')
      form.append('model', settings.model)
      form.append('response_format', 'verbose_json')
      form.append('timestamp_granularities[]', 'segment')
      const lang = language ?? settings.language
      if (lang) form.append('language', lang.split('-')[0]!)
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          body: form,
          headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
          signal: AbortSignal.timeout(settings.timeoutMs ?? 120_000),
        })
      } catch (error) {
        throw new Error(`The speech-to-text server at ${url} did not answer`, { cause: error })
      }
      const body = await response.text()
      if (!response.ok) throw new Error(`The speech-to-text server answered ${response.status}: ${body.slice(0, 300)}`)
      let json: VerboseJson
      try {
        json = JSON.parse(body) as VerboseJson
      } catch {
        throw new Error('The speech-to-text server did not answer JSON (is response_format=verbose_json supported?)')
      }
      const segments: SpeechSegment[] = []
      for (const s of json.segments ?? []) {
        const start = num(s.start)
        const end = num(s.end)
        const text = typeof s.text === 'string' ? s.text.trim() : ''
        if (start === null || !text) continue
        segments.push({ startMs: Math.round(start * 1000), endMs: Math.round((end ?? start) * 1000), text })
      }
      // a server that gives only the text: one segment over the whole audio
      if (segments.length === 0 && typeof json.text === 'string' && json.text.trim())
        segments.push({ startMs: 0, endMs: Math.round((num(json.duration) ?? 0) * 1000), text: json.text.trim() })
      return { segments }
    },
  }
}
