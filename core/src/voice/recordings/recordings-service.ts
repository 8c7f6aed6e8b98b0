import { randomUUID } from 'node:crypto'
import { rm, stat } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import type { Actor, AuditLog } from '../../audit/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Infra } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import type { Db, Prisma } from '../../storage/index.js'
import { agentInScope, queueInScope, readTeamScope } from '../../teams/index.js'
import { CallRecorder, type ActiveRecording, type CallRecordingHooks } from '../calls/recording.js'
import type { RtpMedia } from '../calls/media.js'
import {
  RECORDING_FORMAT,
  RecordingFileWriter,
  readRecordingFile,
  splitChannels,
  type RecordingKey,
} from './recording-file.js'
import { WAV_HEADER_BYTES, wavHeader, mulawStereoToPcm16 } from './wav.js'

/** the daily job deleting recordings past voice.recordingRetentionDays */
export const RECORDING_RETENTION_JOB = 'voice.recordings.retention'
const DAY_MS = 86_400_000

export interface RecordingsSettings {
  recording: 'off' | 'calls'
  recordingConsent: boolean
  recordingConsentText: string
  recordingConsentTextZh: string
  recordingConsentFile?: string | undefined
  recordingRetentionDays: number
  agentsHearOwnRecordings: boolean
}

/** Who asks to list, play or delete recordings. */
export interface RecordingViewer {
  id: string
  role: string
}

export interface RecordingView {
  id: string
  conversationId: string
  callId: string
  status: string
  consentPlayedAt: Date | null
  startedAt: Date
  endedAt: Date | null
  durationMs: number
  bytes: number
  format: string
  keyId: string
  transcribed: boolean
  audioUrl: string
}

type RecordingRow = Awaited<ReturnType<Db['callRecording']['findUniqueOrThrow']>>

/** A recording being written: frames go in (interleaved stereo µ-law), finish() seals it. */
export interface RecordingSession {
  readonly recordingId: string
  write(stereo: Buffer): void
  finish(durationMs: number): Promise<void>
}

/**
 * Call recordings: written encrypted as the call goes (recording-file.ts), listed and played
 * (as WAV) for the roles allowed to hear them, deleted by an admin, with the contact's data, or
 * after the retention period. `recording.completed` is published when one is sealed.
 */
export function createRecordingsService(deps: {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  dataDir: string
  /** the personal-data key ring (first: the current key) */
  keys: RecordingKey[]
  settings: RecordingsSettings
  /** merges attributes into the conversation (its recordingIds) */
  setAttributes?: (conversationId: string, attributes: Record<string, unknown>) => Promise<unknown>
}) {
  const { db, infra, audit, settings } = deps
  const logger = deps.logger.child({ module: 'voice-recordings' })
  const root = resolve(deps.dataDir)
  const ring = new Map(deps.keys.map((k) => [k.id, k.key]))
  const active = deps.keys[0]
  const sessions = new Set<Promise<void>>()

  function fileOf(row: { path: string }): string {
    const path = resolve(root, row.path)
    if (!path.startsWith(root + sep)) throw new Error(`recording path outside the data directory: ${row.path}`)
    return path
  }

  /** Starts a recording of a call's conversation: its entry now (status recording), its file as frames come. */
  function begin(input: { callId: string; conversationId: string; consentPlayedAt: Date | null }): RecordingSession {
    if (!active) throw new Error('no personal-data key to seal recordings with')
    const id = randomUUID()
    const startedAt = infra.clock.now()
    const path = [
      'voice',
      'recordings',
      String(startedAt.getUTCFullYear()),
      String(startedAt.getUTCMonth() + 1).padStart(2, '0'),
      `${id}.sbrec`,
    ].join('/')
    const writer = new RecordingFileWriter(fileOf({ path }), id, active)
    const created = (async () => {
      const conversation = await db.conversation.findUnique({
        where: { id: input.conversationId },
        select: { contactId: true, attributes: true },
      })
      await db.callRecording.create({
        data: {
          id,
          conversationId: input.conversationId,
          contactId: conversation?.contactId ?? null,
          callId: input.callId,
          consentPlayedAt: input.consentPlayedAt,
          startedAt,
          path,
          format: RECORDING_FORMAT,
          keyId: active.id,
          status: 'recording',
        },
      })
      const before = (conversation?.attributes as { recordingIds?: unknown } | null)?.recordingIds
      const ids = Array.isArray(before) ? before.filter((v): v is string => typeof v === 'string') : []
      await deps.setAttributes?.(input.conversationId, { recordingId: id, recordingIds: [...ids, id] })
    })()
    created.catch(() => undefined)
    let finished: Promise<void> | undefined
    return {
      recordingId: id,
      write: (stereo) => writer.write(stereo),
      finish(durationMs) {
        finished ??= (async () => {
          let status = 'complete'
          try {
            await writer.close()
          } catch (error) {
            status = 'failed'
            logger.error({ err: error, recordingId: id }, 'the recording could not be written')
          }
          try {
            await created
          } catch (error) {
            logger.error({ err: error, recordingId: id }, 'the recording entry was not created')
            await rm(writer.path, { force: true })
            return
          }
          await db.callRecording.update({
            where: { id },
            data: { status, endedAt: infra.clock.now(), durationMs, bytes: writer.bytes },
          })
          logger.info({ recordingId: id, callId: input.callId, durationMs, status }, 'call recording ended')
          if (status === 'complete')
            await infra.bus.publish('recording.completed', { recordingId: id, conversationId: input.conversationId })
        })()
        const tracked = finished.catch((error: unknown) =>
          logger.error({ err: error, recordingId: id }, 'the recording was not completed'),
        )
        sessions.add(tracked)
        void tracked.finally(() => sessions.delete(tracked))
        return finished
      },
    }
  }

  /** A call leg recorded (the caller's audio and what they hear), from now until stop(). */
  function recordCall(input: {
    callId: string
    conversationId: string
    media: RtpMedia
    consentPlayedAt: Date | null
  }): ActiveRecording {
    const session = begin(input)
    const recorder = new CallRecorder(input.media, (stereo) => session.write(stereo))
    return {
      recordingId: session.recordingId,
      async stop() {
        recorder.stop()
        await session.finish(recorder.durationMs)
      },
    }
  }

  /** What CallSession asks (voice.recording, the consent announcement), bound to these settings. */
  const callHooks: CallRecordingHooks = {
    enabled: () => settings.recording === 'calls' && active !== undefined,
    consent(language) {
      if (!settings.recordingConsent) return null
      if (settings.recordingConsentFile) return { text: null, file: settings.recordingConsentFile }
      return {
        text: language?.startsWith('zh') ? settings.recordingConsentTextZh : settings.recordingConsentText,
        file: null,
      }
    },
    start: recordCall,
  }

  async function find(id: string): Promise<RecordingRow> {
    const row = await db.callRecording.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No recording ${id}`, { status: 404 })
    return row
  }

  /**
   * Who may hear a conversation's recordings: admins; supervisors of its queue's team (or of the
   * agents who took it; supervisors in no team see all); the agent who took the call when
   * voice.agentsHearOwnRecordings is on.
   */
  async function requireListener(viewer: RecordingViewer, conversationId: string): Promise<void> {
    const conversation = await db.conversation.findUnique({
      where: { id: conversationId },
      select: { assigneeId: true, lastAgentId: true, attributes: true, queue: { select: { teamId: true } } },
    })
    if (!conversation) throw userError(ErrorCode.NOT_FOUND, `No conversation ${conversationId}`, { status: 404 })
    if (viewer.role === 'admin') return
    const attributes = (conversation.attributes ?? {}) as { agents?: unknown; agentId?: unknown }
    const agents = new Set(
      [
        conversation.assigneeId,
        conversation.lastAgentId,
        typeof attributes.agentId === 'string' ? attributes.agentId : null,
        ...(Array.isArray(attributes.agents) ? attributes.agents : []),
      ].filter((v): v is string => typeof v === 'string'),
    )
    if (viewer.role === 'supervisor') {
      const scope = await readTeamScope(db, viewer)
      if (scope.kind === 'all') return
      if (conversation.queue && queueInScope(scope, conversation.queue.teamId)) return
      if ([...agents].some((agent) => agentInScope(scope, agent))) return
      throw userError(
        ErrorCode.FORBIDDEN,
        "This call's recordings are for the supervisors of its queue's team and admins",
        { status: 403 },
      )
    }
    if (settings.agentsHearOwnRecordings && agents.has(viewer.id)) return
    throw userError(
      ErrorCode.FORBIDDEN,
      settings.agentsHearOwnRecordings
        ? "Only the agent who took this call, its queue's supervisors and admins may hear its recordings"
        : "Call recordings are for supervisors of the call's queue and admins (agents hear their own only when voice.agentsHearOwnRecordings is on)",
      { status: 403 },
    )
  }

  function view(row: RecordingRow): RecordingView {
    return {
      id: row.id,
      conversationId: row.conversationId,
      callId: row.callId,
      status: row.status,
      consentPlayedAt: row.consentPlayedAt,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      durationMs: row.durationMs,
      bytes: row.bytes,
      format: row.format,
      keyId: row.keyId,
      transcribed: row.transcribedAt !== null,
      audioUrl: `/api/v1/recordings/${row.id}/audio`,
    }
  }

  const keyOf = (keyId: string) => ring.get(keyId)

  /** Both channels of a recording, µ-law (for speech to text). */
  async function readRecording(id: string): Promise<{ caller: Buffer; other: Buffer }> {
    const row = await find(id)
    const callers: Buffer[] = []
    const others: Buffer[] = []
    for await (const chunk of readRecordingFile(fileOf(row), keyOf, row.id)) {
      const { left, right } = splitChannels(chunk)
      callers.push(left)
      others.push(right)
    }
    return { caller: Buffer.concat(callers), other: Buffer.concat(others) }
  }

  /** Deletes recordings' files, then their entries. */
  async function remove(rows: Array<{ id: string; path: string }>): Promise<number> {
    for (const row of rows) await rm(fileOf(row), { force: true })
    if (rows.length === 0) return 0
    const { count } = await db.callRecording.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })
    return count
  }

  async function purgeExpired(): Promise<number> {
    const days = settings.recordingRetentionDays
    if (days <= 0) return 0
    const before = new Date(infra.clock.now().getTime() - days * DAY_MS)
    let deleted = 0
    for (;;) {
      const rows = await db.callRecording.findMany({
        where: { startedAt: { lt: before }, status: { not: 'recording' } },
        select: { id: true, path: true },
        take: 200,
      })
      if (rows.length === 0) break
      deleted += await remove(rows)
    }
    if (deleted > 0) logger.info({ deleted, days }, 'old call recordings deleted')
    return deleted
  }

  infra.scheduler.define(RECORDING_RETENTION_JOB, async () => {
    try {
      await purgeExpired()
    } finally {
      await scheduleRetention(DAY_MS)
    }
  })

  /**
   * One job a day, keyed by its day (UTC): instances starting together, or a restart, replace
   * the day's pending run instead of adding one; the run schedules the next day's.
   */
  async function scheduleRetention(inMs: number) {
    const runAt = new Date(infra.clock.now().getTime() + inMs)
    await infra.scheduler
      .schedule({
        type: RECORDING_RETENTION_JOB,
        key: `${RECORDING_RETENTION_JOB}:${runAt.toISOString().slice(0, 10)}`,
        runAt,
      })
      .catch((error: unknown) => {
        // that day's run is going on now (another instance): it schedules the next one itself
        if ((error as { code?: string }).code !== 'SB_ERR_CONFLICT') throw error
      })
  }

  return {
    callHooks,
    begin,
    recordCall,
    readRecording,
    purgeExpired,

    /** Schedules the daily retention job (the first run soon after start). */
    async start() {
      await scheduleRetention(60_000)
    },

    /** Waits for recordings being sealed (shutdown). */
    async drain() {
      await Promise.all([...sessions])
    },

    async list(viewer: RecordingViewer, conversationId: string): Promise<RecordingView[]> {
      await requireListener(viewer, conversationId)
      const rows = await db.callRecording.findMany({ where: { conversationId }, orderBy: { startedAt: 'asc' } })
      return rows.map(view)
    },

    /**
     * A recording as a WAV file (16-bit PCM, stereo, 8 kHz: left the caller, right the other
     * side), decrypted as it is streamed; `range` is a byte range of that file. The listening is
     * audited.
     */
    async audio(
      viewer: RecordingViewer & { actor: Actor },
      id: string,
      range: { start: number; end?: number | undefined } | null,
    ): Promise<{
      totalBytes: number
      start: number
      end: number
      body: AsyncGenerator<Buffer, void, undefined>
    }> {
      const row = await find(id)
      await requireListener(viewer, row.conversationId)
      if (row.status === 'recording')
        throw userError(ErrorCode.CONFLICT, 'The call is still being recorded; it can be played once it has ended', {
          status: 409,
        })
      if (!ring.has(row.keyId))
        throw userError(
          ErrorCode.CONFLICT,
          `The recording was sealed with key "${row.keyId}", which is no longer in the key ring`,
          { status: 409 },
        )
      const file = fileOf(row)
      await stat(file).catch(() => {
        throw userError(ErrorCode.NOT_FOUND, `The audio of recording ${id} is gone`, { status: 404 })
      })
      // the PCM size from the stored length: 20 ms of stereo µ-law is 320 bytes, twice that as 16-bit
      const dataBytes = Math.round(row.durationMs / 20) * 320 * 2
      const totalBytes = WAV_HEADER_BYTES + dataBytes
      const start = Math.min(range?.start ?? 0, totalBytes)
      const end = Math.min(range?.end ?? totalBytes - 1, totalBytes - 1)
      if (range && start > end)
        throw userError(ErrorCode.VALIDATION, `The range starts past the end of the recording (${totalBytes} bytes)`, {
          status: 416,
        })
      if (!range || start === 0)
        await audit.record(viewer.actor, {
          action: 'recording.played',
          targetType: 'call-recording',
          targetId: row.id,
          details: { conversationId: row.conversationId },
        })
      async function* whole(): AsyncGenerator<Buffer, void, undefined> {
        yield wavHeader(dataBytes)
        let sent = 0
        for await (const chunk of readRecordingFile(file, keyOf, row.id)) {
          const pcm = mulawStereoToPcm16(chunk)
          const take = Math.min(pcm.length, dataBytes - sent)
          if (take <= 0) break
          yield take === pcm.length ? pcm : pcm.subarray(0, take)
          sent += take
        }
        // a shorter file than its entry says (never expected): padded with silence
        if (sent < dataBytes) yield Buffer.alloc(dataBytes - sent)
      }
      async function* ranged(): AsyncGenerator<Buffer, void, undefined> {
        let offset = 0
        for await (const piece of whole()) {
          const from = Math.max(start - offset, 0)
          const to = Math.min(end + 1 - offset, piece.length)
          if (from < to) yield piece.subarray(from, to)
          offset += piece.length
          if (offset > end) return
        }
      }
      return { totalBytes, start, end, body: ranged() }
    },

    async delete(actor: Actor, id: string): Promise<void> {
      const row = await find(id)
      await remove([row])
      await audit.record(actor, {
        action: 'recording.deleted',
        targetType: 'call-recording',
        targetId: row.id,
        details: { conversationId: row.conversationId },
      })
    },

    /** Deletes every recording of a contact (files and entries): part of erasing the contact's data. */
    async eraseContact(actor: Actor, contactId: string): Promise<number> {
      const where: Prisma.CallRecordingWhereInput = { OR: [{ contactId }, { conversation: { contactId } }] }
      const rows = await db.callRecording.findMany({ where, select: { id: true, path: true } })
      const deleted = await remove(rows)
      await audit.record(actor, {
        action: 'recording.contact-erased',
        targetType: 'contact',
        targetId: contactId,
        details: { deleted },
      })
      return deleted
    },

    /** A contact's recordings, for the history (ids by conversation). */
    async byConversation(conversationIds: string[]): Promise<Map<string, string[]>> {
      const rows = conversationIds.length
        ? await db.callRecording.findMany({
            where: { conversationId: { in: conversationIds } },
            select: { id: true, conversationId: true },
            orderBy: { startedAt: 'asc' },
          })
        : []
      const map = new Map<string, string[]>()
      for (const row of rows) map.set(row.conversationId, [...(map.get(row.conversationId) ?? []), row.id])
      return map
    },

    /** the path of a recording's file (tests, the CLI) */
    fileOf,
    /** the data directory's recordings folder */
    directory: join(root, 'voice', 'recordings'),
  }
}

export type RecordingsService = ReturnType<typeof createRecordingsService>
