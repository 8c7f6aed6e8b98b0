import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local server speaking OpenAI's `POST /v1/audio/transcriptions` (multipart `file` + `model`,
 * `response_format=verbose_json` → `{ text, duration, segments: [{ start, end, text }] }`).
 * It really listens to what it gets: the file must be a mono 16-bit PCM WAV (else 400, as the
 * real API refuses a bad file), and each stretch of sound in it becomes one segment, timed where
 * it is in the audio. The words come from `script`: the n-th stretch of a tone near `hz` says
 * `script[hz][n]` (tests speak in tones: 440 Hz for the caller, 1000 Hz for the agent).
 */
export interface FakeTranscriptionServer {
  url: string
  requests: Array<{ model: string; responseFormat: string; bytes: number; sampleRate: number; error?: string }>
  close(): Promise<void>
}

export async function startFakeTranscriptionServer(script: Record<number, string[]>): Promise<FakeTranscriptionServer> {
  const requests: FakeTranscriptionServer['requests'] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions')
          return reply(404, { error: { message: `no route ${req.method} ${req.url}` } })
        const form = await new Request('http://local/', {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? '' },
          body: Buffer.concat(chunks),
        })
          .formData()
          .catch(() => null)
        const file = form?.get('file')
        const model = form?.get('model')
        const responseFormat = String(form?.get('response_format') ?? 'json')
        if (!form || !(file instanceof Blob) || typeof model !== 'string')
          return reply(400, { error: { message: 'multipart with file and model required' } })
        const wav = Buffer.from(await file.arrayBuffer())
        const parsed = readWav(wav)
        requests.push({
          model,
          responseFormat,
          bytes: wav.length,
          sampleRate: 'error' in parsed ? 0 : parsed.rate,
          ...('error' in parsed ? { error: parsed.error } : {}),
        })
        if ('error' in parsed) return reply(400, { error: { message: `Invalid file format: ${parsed.error}` } })
        const counters = new Map<number, number>()
        const segments = soundStretches(parsed.samples, parsed.rate).map((s, id) => {
          const hz = Object.keys(script)
            .map(Number)
            .reduce((best, h) => (Math.abs(h - s.hz) < Math.abs(best - s.hz) ? h : best), Number.POSITIVE_INFINITY)
          const n = counters.get(hz) ?? 0
          counters.set(hz, n + 1)
          return { id, start: s.startMs / 1000, end: s.endMs / 1000, text: script[hz]?.[n] ?? '…' }
        })
        const duration = parsed.samples.length / parsed.rate
        if (responseFormat !== 'verbose_json') return reply(200, { text: segments.map((s) => s.text).join(' ') })
        reply(200, {
          task: 'transcribe',
          language: 'chinese',
          duration,
          text: segments.map((s) => s.text).join(''),
          segments,
        })
      })()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function readWav(wav: Buffer): { rate: number; samples: Int16Array } | { error: string } {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE')
    return { error: 'not a RIFF/WAVE file' }
  let offset = 12
  let rate = 0
  let format: { audioFormat: number; channels: number; bits: number } | null = null
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4)
    const size = wav.readUInt32LE(offset + 4)
    if (id === 'fmt ') {
      format = {
        audioFormat: wav.readUInt16LE(offset + 8),
        channels: wav.readUInt16LE(offset + 10),
        bits: wav.readUInt16LE(offset + 22),
      }
      rate = wav.readUInt32LE(offset + 12)
    } else if (id === 'data') {
      if (!format || format.audioFormat !== 1 || format.channels !== 1 || format.bits !== 16)
        return { error: 'expected mono 16-bit PCM' }
      if (offset + 8 + size > wav.length) return { error: 'data chunk longer than the file' }
      const samples = new Int16Array(size / 2)
      for (let i = 0; i < samples.length; i++) samples[i] = wav.readInt16LE(offset + 8 + i * 2)
      return { rate, samples }
    }
    offset += 8 + size + (size % 2)
  }
  return { error: 'no data chunk' }
}

/** Stretches of sound (20 ms frames over a threshold, gaps under 300 ms bridged), with their frequency by zero crossings. */
function soundStretches(samples: Int16Array, rate: number) {
  const frame = Math.round(rate / 50)
  const loud: boolean[] = []
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let sum = 0
    for (let j = i; j < i + frame; j++) sum += samples[j]! * samples[j]!
    loud.push(Math.sqrt(sum / frame) > 500)
  }
  const stretches: Array<{ startMs: number; endMs: number; hz: number }> = []
  let start = -1
  let quiet = 0
  const close = (endFrame: number) => {
    const from = start * frame
    const to = endFrame * frame
    let crossings = 0
    for (let j = from + 1; j < to; j++) if (samples[j - 1]! < 0 !== samples[j]! < 0) crossings++
    stretches.push({ startMs: start * 20, endMs: endFrame * 20, hz: crossings / 2 / ((to - from) / rate) })
  }
  loud.forEach((isLoud, k) => {
    if (isLoud) {
      if (start < 0) start = k
      quiet = 0
    } else if (start >= 0 && ++quiet >= 15) {
      close(k - quiet + 1)
      start = -1
      quiet = 0
    }
  })
  if (start >= 0) close(loud.length - quiet)
  return stretches
}
