import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * The built-in music on hold: four soft chords (C, Am, F, G), a low sine under three plucked
 * notes, 2 s each, faded in and out so that the 8 s loop joins without a click. Change
 * BUILT_IN_VERSION when this changes: it names the cached file.
 */
const CHORDS: readonly (readonly [string, string, string, string])[] = [
  ['C3', 'C4', 'E4', 'G4'],
  ['A2', 'A3', 'C4', 'E4'],
  ['F2', 'F3', 'A3', 'C4'],
  ['G2', 'G3', 'B3', 'D4'],
]
const CHORD_SECONDS = 2
const BUILT_IN_VERSION = 1
/** peak level of the music (dBFS): quiet enough to talk over, and below the prompts */
const MUSIC_PEAK_DB = -14

export interface HoldMusicOptions {
  /** Switchboard's data directory: the music is cached under <dataDir>/voice/hold */
  dataDir: string
  /**
   * An admin's own music (voice.holdMusicFile): a WAV or MP3 file, absolute or relative to
   * <dataDir>/voice/audio. Converted to 8 kHz µ-law once, cached by its content's hash.
   * Unset: the built-in music.
   */
  file?: string | null
  sox?: string
  /** told when the admin's file cannot be used (the built-in music plays instead) */
  logger?: { warn(details: object, message: string): void }
}

/** converted music by cache file: a process renders (and reads) each once */
const loaded = new Map<string, Promise<Buffer>>()

/**
 * Music on hold as 8 kHz mono µ-law (raw PCMU, 160 bytes per 20 ms), loopable: what callers hear
 * while they wait in a queue and while an agent holds them. Made once with sox and kept on disk;
 * an admin's file that sox cannot read falls back to the built-in music.
 */
export async function holdMusic(options: HoldMusicOptions): Promise<Buffer> {
  const dir = join(options.dataDir, 'voice', 'hold')
  const sox = options.sox ?? '/usr/bin/sox'
  if (options.file) {
    const source = resolve(join(options.dataDir, 'voice', 'audio'), options.file)
    try {
      const content = await readFile(source)
      const hash = createHash('sha256').update(content).digest('hex')
      return await once(join(dir, `file-${hash}.ul`), (target) => convertFile(sox, source, target))
    } catch (error) {
      options.logger?.warn(
        { err: error, file: source },
        'the hold music file (voice.holdMusicFile) cannot be played: the built-in music plays instead',
      )
    }
  }
  return once(join(dir, `built-in-v${BUILT_IN_VERSION}.ul`), (target) => synthesize(sox, target))
}

/** The cached file, or made by `produce` into a temporary file that is renamed when complete. */
function once(file: string, produce: (target: string) => Promise<void>): Promise<Buffer> {
  let work = loaded.get(file)
  if (work) return work
  work = (async () => {
    try {
      return await readFile(file)
    } catch {
      await mkdir(join(file, '..'), { recursive: true })
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`
      try {
        await produce(temporary)
        await rename(temporary, file)
      } finally {
        await rm(temporary, { force: true })
      }
      return readFile(file)
    }
  })()
  // a failure is not remembered: the next call tries again
  work.catch(() => loaded.delete(file))
  loaded.set(file, work)
  return work
}

async function synthesize(sox: string, target: string): Promise<void> {
  const parts: Buffer[] = []
  for (const [bass, ...notes] of CHORDS) {
    const part = `${target}.${bass}`
    try {
      await run(
        sox,
        [
          '-V1',
          '-n',
          ...['-r', '8000', '-c', '1', '-e', 'u-law', '-t', 'raw', part],
          ...['synth', String(CHORD_SECONDS), 'sine', bass, ...notes.flatMap((note) => ['pluck', note])],
          ...['remix', '-'],
          ...['fade', 'q', '0.02', String(CHORD_SECONDS), '0.4'],
          ...['gain', '-n', String(MUSIC_PEAK_DB)],
        ],
        { timeout: 20_000 },
      )
      parts.push(await readFile(part))
    } finally {
      await rm(part, { force: true })
    }
  }
  await writeFile(target, Buffer.concat(parts))
}

async function convertFile(sox: string, source: string, target: string): Promise<void> {
  await run(
    sox,
    [
      '-V1',
      source,
      ...['-r', '8000', '-c', '1', '-e', 'u-law', '-t', 'raw', target],
      // one level for every file: its loudest moment at the built-in music's peak
      ...['gain', '-n', String(MUSIC_PEAK_DB)],
    ],
    { timeout: 60_000 },
  )
}
