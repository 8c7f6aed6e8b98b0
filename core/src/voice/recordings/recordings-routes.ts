import { Readable } from 'node:stream'
import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../../auth/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import { defineRoute } from '../../http/define-route.js'
import type { RecordingsService, RecordingViewer } from './recordings-service.js'

const tags = ['voice']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const viewerOf = (credentials: AuthCredentials | null): RecordingViewer => ({
  id: credentials!.user.id,
  role: credentials!.user.role,
})

export const recordingDto = z.object({
  id: z.string(),
  conversationId: z.string(),
  callId: z.string(),
  status: z.string().describe('recording | complete | failed'),
  consentPlayedAt: z.date().nullable().describe('when the consent announcement ended (the recording starts after it)'),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  durationMs: z.number(),
  bytes: z.number().describe('size of the encrypted file'),
  format: z.string().describe('stored format: pcmu-stereo-8k (left the caller, right the other side)'),
  keyId: z.string().describe('the personal-data key that sealed it'),
  transcribed: z.boolean(),
  audioUrl: z.string().describe('GET it for the audio as a WAV file'),
})

/** "bytes=0-", "bytes=100-199" → the range; null without a header or for several ranges. */
function parseRange(header: string | undefined): { start: number; end?: number } | null {
  if (!header) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  if (match[1] === '') return null // a suffix range: the whole file is sent instead
  const start = Number(match[1])
  const end = match[2] === '' ? undefined : Number(match[2])
  if (end !== undefined && end < start)
    throw userError(ErrorCode.VALIDATION, 'The Range header ends before it starts', { status: 416 })
  return { start, end }
}

export function recordingsRoutes(recordings: RecordingsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations/{id}/recordings',
      access: 'agent',
      tags,
      summary: "A call conversation's recordings",
      description:
        "For admins, supervisors of the conversation's queue (or of its agents' team), and the agent who took the call when voice.agentsHearOwnRecordings is on; others get 403.",
      params: idParams,
      response: z.array(recordingDto),
      handler: async ({ params, credentials }) => recordings.list(viewerOf(credentials), params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/recordings/{id}/audio',
      access: 'agent',
      tags,
      summary: 'A recording as a WAV file (16-bit PCM, 8 kHz, stereo: left the caller, right the agent and prompts)',
      description:
        'Decrypted as it is sent; a `Range: bytes=start-end` header gets 206 with that part. The same roles as the list may play it; every playback is in the audit log (`recording.played`).',
      params: idParams,
      handler: async ({ params, credentials, actor, request, h }) => {
        const range = parseRange(typeof request.headers.range === 'string' ? request.headers.range : undefined)
        const audio = await recordings.audio({ ...viewerOf(credentials), actor }, params.id, range)
        const response = h
          .response(Readable.from(audio.body, { objectMode: false }))
          .type('audio/wav')
          .header('content-length', String(audio.end - audio.start + 1))
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `inline; filename="recording-${params.id}.wav"`)
        if (range)
          return response.code(206).header('content-range', `bytes ${audio.start}-${audio.end}/${audio.totalBytes}`)
        return response
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/recordings/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a recording: its encrypted file and its entry',
      params: idParams,
      handler: async ({ params, actor }) => {
        await recordings.delete(actor, params.id)
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/contacts/{id}/recordings',
      access: 'admin',
      tags,
      summary: "Delete every call recording of a contact (part of erasing the contact's data)",
      params: idParams,
      response: z.object({ deleted: z.number() }),
      handler: async ({ params, actor }) => ({ deleted: await recordings.eraseContact(actor, params.id) }),
    }),
  ]
}
