import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db, Prisma } from '../storage/index.js'
import type { CallTranscriptSegment, SpeechSegment, SpeechToText } from './speech-to-text.js'
import { mulawToPcm16, pcm16Wav } from './wav.js'

/** Transcribes one completed recording (keyed per recording: once, on one instance, retried on failure). */
export const TRANSCRIBE_CALL_JOB = 'asr.transcribe-call'
export const transcribeJobKey = (recordingId: string) => `asr:${recordingId}`
/** Asks QA to inspect a transcribed call again (retried while its inspection is running). */
const INSPECT_CALL_JOB = 'asr.inspect-call'
/** After an instance starts: recordings completed while no instance listened. */
const CATCH_UP_JOB = 'asr.catch-up'
const CATCH_UP_WINDOW_MS = 7 * 24 * 3_600_000
const MAX_ATTEMPTS = 5
/** A channel quieter than this (RMS of 16-bit samples) holds no speech worth sending. */
const SILENT_RMS = 60

/** A recording's two channels, 8 kHz µ-law: what the caller said, and the other side (agent, prompts). */
export type ReadRecording = (recordingId: string) => Promise<{ caller: Buffer; other: Buffer }>

/** Both channels' segments in one list by time: the caller's as `caller`, the other side's as `agent`. */
export function mergeChannels(caller: SpeechSegment[], other: SpeechSegment[]): CallTranscriptSegment[] {
  return [
    ...caller.map((s) => ({ speaker: 'caller' as const, ...s })),
    ...other.map((s) => ({ speaker: 'agent' as const, ...s })),
  ].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || a.speaker.localeCompare(b.speaker))
}

function isSilent(samples: Int16Array): boolean {
  if (samples.length === 0) return true
  let sum = 0
  for (const v of samples) sum += v * v
  return Math.sqrt(sum / samples.length) < SILENT_RMS
}

/**
 * Speech to text for recorded calls: when a recording completes (`recording.completed` on the
 * bus), a durable job reads its two channels, sends each (as a WAV) to the speech-to-text
 * provider, merges the segments by time, stores them on the recording (transcript,
 * transcribedAt), and asks QA to inspect the call again with what was said.
 */
export function createCallTranscription(deps: {
  db: Db
  infra: Infra
  logger: Logger
  /** null: no provider configured, nothing is transcribed */
  speechToText: SpeechToText | null
  /** the recordings' audio (voice/recordings); also settable later with useRecordings */
  readRecording?: ReadRecording
  language?: string
  /**
   * After a transcript is stored: QA inspects the conversation again. False when it could not be
   * put on the queue (its inspection is running right now): asked again shortly.
   */
  onTranscribed?: (conversationId: string) => Promise<boolean>
}) {
  const { db, infra, logger, speechToText } = deps
  const { scheduler, bus, clock } = infra
  let readRecording: ReadRecording | undefined = deps.readRecording

  async function schedule(recordingId: string): Promise<boolean> {
    if (!speechToText) return false
    try {
      await scheduler.schedule({
        type: TRANSCRIBE_CALL_JOB,
        key: transcribeJobKey(recordingId),
        runAt: 0,
        payload: { recordingId },
        maxAttempts: MAX_ATTEMPTS,
      })
      return true
    } catch (error) {
      if ((error as { code?: string }).code === 'SB_ERR_CONFLICT') return false
      throw error
    }
  }

  async function channelSegments(mulaw: Buffer): Promise<SpeechSegment[]> {
    const samples = mulawToPcm16(mulaw)
    if (isSilent(samples)) return []
    const { segments } = await speechToText!.transcribe({ wav: pcm16Wav(samples, 8000), language: deps.language })
    return segments
  }

  /** Transcribes a completed recording now (the job's work); false when there is nothing to do. */
  async function transcribe(recordingId: string): Promise<boolean> {
    if (!speechToText) return false
    const recording = await db.callRecording.findUnique({ where: { id: recordingId } })
    if (!recording || recording.status !== 'complete' || recording.transcribedAt) return false
    if (!readRecording) throw new Error('speech to text: no recordings reader is wired (useRecordings)')
    const audio = await readRecording(recordingId)
    const [caller, other] = [await channelSegments(audio.caller), await channelSegments(audio.other)]
    const transcript = mergeChannels(caller, other)
    const updated = await db.callRecording.updateMany({
      where: { id: recordingId, transcribedAt: null },
      data: { transcript: transcript as unknown as Prisma.InputJsonArray, transcribedAt: clock.now() },
    })
    if (updated.count === 0) return false
    logger.info({ recordingId, segments: transcript.length }, 'call recording transcribed')
    await bus.publish('recording.transcribed', {
      recordingId,
      conversationId: recording.conversationId,
      segments: transcript.length,
    })
    if (deps.onTranscribed)
      await scheduler.schedule({
        type: INSPECT_CALL_JOB,
        key: `asr:inspect:${recording.conversationId}`,
        runAt: 0,
        payload: { conversationId: recording.conversationId },
        maxAttempts: 8,
      })
    return true
  }

  scheduler.define(INSPECT_CALL_JOB, async (job) => {
    const { conversationId } = job.payload as { conversationId: string }
    if (await deps.onTranscribed!(conversationId)) return
    // not resolved yet: QA reads the transcript when it is; resolved: its inspection is running
    // right now, perhaps on what it read before the transcript was there — ask again (retried with backoff)
    const conversation = await db.conversation.findUnique({ where: { id: conversationId }, select: { status: true } })
    if (conversation?.status === 'resolved')
      throw new Error(`the QA inspection of ${conversationId} is running; the call will be inspected again`)
  })

  scheduler.define(TRANSCRIBE_CALL_JOB, async (job) => {
    await transcribe((job.payload as { recordingId: string }).recordingId)
  })

  /** Completed recordings of the last week without a transcript (the bus delivers at most once). */
  async function catchUp(): Promise<number> {
    if (!speechToText) return 0
    const waiting = await db.callRecording.findMany({
      where: {
        status: 'complete',
        transcribedAt: null,
        createdAt: { gte: new Date(clock.now().getTime() - CATCH_UP_WINDOW_MS) },
      },
      select: { id: true },
      take: 500,
    })
    let scheduled = 0
    for (const r of waiting) if (await schedule(r.id)) scheduled++
    return scheduled
  }
  scheduler.define(CATCH_UP_JOB, async () => {
    await catchUp()
  })

  const subscription = speechToText
    ? bus
        .subscribe('recording.completed', async (event) => {
          const recordingId = (event as { recordingId?: unknown } | null)?.recordingId
          if (typeof recordingId !== 'string') return
          await schedule(recordingId).catch((error: unknown) =>
            logger.error({ err: error, recordingId }, 'could not schedule the transcription of a call recording'),
          )
        })
        .then(async (unsubscribe) => {
          await scheduler.schedule({ type: CATCH_UP_JOB, key: 'asr:catch-up', runAt: 0 }).catch((error: unknown) => {
            if ((error as { code?: string }).code !== 'SB_ERR_CONFLICT')
              logger.warn({ err: error }, 'speech to text could not schedule its catch-up')
          })
          return unsubscribe
        })
    : Promise.resolve(async () => undefined)

  return {
    /** whether a provider is configured */
    enabled: speechToText !== null,
    /** Where the recordings' audio is read from (the voice recordings module wires it). */
    useRecordings(reader: ReadRecording) {
      readRecording = reader
    },
    transcribe,
    schedule,
    /** Waits until the bus subscription is in place (tests, startup). */
    async ready() {
      await subscription
    },
  }
}
export type CallTranscription = ReturnType<typeof createCallTranscription>
