import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Turns text into speech. `render` writes 8 kHz mono µ-law (raw PCMU, 160 bytes per 20 ms) to
 * `file`. Other engines (a cloud TTS, pre-recorded prompts) plug in here.
 */
export interface SpeechProvider {
  /** part of the cache key: change it when the same text would sound different */
  readonly name: string
  /** the voice for a text and the caller's language */
  voiceFor(text: string, language?: string | null): string
  render(input: { text: string; voice: string; file: string }): Promise<void>
}

/** Chinese characters (CJK unified ideographs) in a text. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/

/**
 * espeak-ng, then sox down to 8 kHz µ-law. Mandarin uses `cmn-latn-pinyin`: Debian 12's plain
 * `cmn` voice reads the pinyin tone digits in English.
 */
export function espeakSpeech(
  options: { espeak?: string; sox?: string; timeoutMs?: number; voices?: { zh?: string; en?: string } } = {},
): SpeechProvider {
  const espeak = options.espeak ?? '/usr/bin/espeak-ng'
  const sox = options.sox ?? '/usr/bin/sox'
  const timeout = options.timeoutMs ?? 20_000
  const voices = { zh: options.voices?.zh ?? 'cmn-latn-pinyin', en: options.voices?.en ?? 'en' }
  return {
    name: 'espeak-ng',
    voiceFor(text, language) {
      if (HAN.test(text) || (language?.startsWith('zh') && !/[A-Za-z]/.test(text))) return voices.zh
      return voices.en
    },
    async render({ text, voice, file }) {
      const wav = `${file}.wav`
      try {
        await run(espeak, ['-v', voice, '-s', '150', '-w', wav, '--', text], { timeout })
        await run(sox, ['-V1', wav, '-r', '8000', '-c', '1', '-e', 'u-law', '-t', 'raw', file, 'gain', '-3'], {
          timeout,
        })
      } finally {
        await rm(wav, { force: true })
      }
    },
  }
}

/** Whether espeak-ng and sox are installed where espeakSpeech looks by default. */
export function espeakAvailable(): boolean {
  return existsSync('/usr/bin/espeak-ng') && existsSync('/usr/bin/sox')
}

export interface PromptCache {
  /** µ-law audio of a text, rendered once per voice and text and kept on disk */
  speech(text: string, language?: string | null): Promise<Buffer>
  /** µ-law audio of a recording under the audio directory (e.g. welcome.wav), converted once */
  file(name: string): Promise<Buffer>
}

/**
 * Prompts rendered once: `<dir>/<sha256(provider, voice, text)>.ul`. Concurrent requests for the
 * same prompt share one rendering; the file appears atomically (rename), so a crash mid-render
 * leaves no half prompt. Recordings of the play node's `file` come from `audioDir`.
 */
export function createPromptCache(options: {
  dir: string
  audioDir: string
  speech: SpeechProvider
  sox?: string
}): PromptCache {
  const sox = options.sox ?? '/usr/bin/sox'
  const inFlight = new Map<string, Promise<Buffer>>()

  async function cached(key: string, produce: (file: string) => Promise<void>): Promise<Buffer> {
    const file = join(options.dir, `${key}.ul`)
    const pending = inFlight.get(key)
    if (pending) return pending
    const work = (async () => {
      try {
        return await readFile(file)
      } catch {
        await mkdir(options.dir, { recursive: true })
        const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`
        try {
          await produce(temporary)
          await rename(temporary, file)
        } finally {
          await rm(temporary, { force: true })
        }
        return readFile(file)
      }
    })().finally(() => inFlight.delete(key))
    inFlight.set(key, work)
    return work
  }

  return {
    speech(text, language) {
      const voice = options.speech.voiceFor(text, language)
      const key = createHash('sha256').update(`${options.speech.name}\u0000${voice}\u0000${text}`).digest('hex')
      return cached(key, (file) => options.speech.render({ text, voice, file }))
    },
    async file(name) {
      const path = resolve(options.audioDir, name)
      const inside = relative(options.audioDir, path)
      if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${name} is outside the audio directory`)
      const info = await stat(path)
      const key = createHash('sha256')
        .update(`file\u0000${inside}\u0000${info.size}\u0000${info.mtimeMs}`)
        .digest('hex')
      return cached(key, async (file) => {
        await run(sox, ['-V1', path, '-r', '8000', '-c', '1', '-e', 'u-law', '-t', 'raw', file], { timeout: 20_000 })
      })
    },
  }
}
