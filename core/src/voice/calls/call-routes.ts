import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../../auth/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import { defineRoute } from '../../http/define-route.js'
import { queueVisibility } from '../../routing/index.js'
import type { Db } from '../../storage/index.js'
import type { VoiceCalls } from './voice-calls.js'

const tags = ['voice']
const conversationParams = z.strictObject({ conversationId: z.string().min(1).max(64) })

const softphoneDto = z.union([
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    webSocketUrl: z.string().describe('ws:// or wss:// address of the SIP edge'),
    domain: z.string(),
    user: z.string().describe('the SIP user: agent-<user id>'),
    uri: z.string(),
    username: z.string().describe('digest username, valid until expiresAt'),
    password: z.string(),
    expiresAt: z.string(),
    afterCallWorkSeconds: z.number(),
  }),
])

const callDto = z.object({
  conversationId: z.string(),
  callId: z.string(),
  phase: z.enum(['ringing', 'ivr', 'queued', 'ringing-agent', 'connected', 'ended']),
  from: z.string().describe('the caller’s number, masked'),
  to: z.string(),
  queue: z.string().nullable(),
  agentId: z.string().nullable(),
  held: z.boolean().describe('the caller holds: hears music, hears and reaches nobody'),
  consult: z.object({ agentId: z.string(), state: z.enum(['ringing', 'connected']) }).nullable(),
  lastConsult: z.object({ agentId: z.string(), outcome: z.string() }).nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  answeredByAgentAt: z.string().nullable(),
  waitMs: z.number().nullable(),
  outbound: z
    .object({ phase: z.enum(['ringing-agent', 'dialing', 'failed']), outcome: z.string().nullable() })
    .optional()
    .describe('an outgoing call not connected yet: your softphone rings, the customer’s phone rings, or it failed'),
})

/**
 * The agent's side of calls: the softphone's registration, the live call's state, and what an
 * agent does with it. A call is controlled by the agent it is assigned to, or a supervisor who
 * sees its queue.
 */
export function callRoutes(voice: VoiceCalls, db: Db): ServerRoute[] {
  async function requireCallAccess(credentials: AuthCredentials | null, conversationId: string) {
    const user = credentials!.user
    const conversation = await db.conversation.findUnique({
      where: { id: conversationId },
      select: { id: true, assigneeId: true, queueId: true, queue: { select: { teamId: true } } },
    })
    if (!conversation) throw userError(ErrorCode.NOT_FOUND, `No conversation ${conversationId}`, { status: 404 })
    if (conversation.assigneeId === user.id) return
    if (credentials!.scope.includes('supervisor')) {
      if (!conversation.queueId) return
      const sees = await queueVisibility(db, user)
      if (sees({ id: conversation.queueId, teamId: conversation.queue?.teamId ?? null })) return
    }
    throw userError(
      ErrorCode.FORBIDDEN,
      `The call of conversation ${conversationId} is not yours: it belongs to the agent it is assigned to`,
      { status: 403 },
    )
  }

  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/voice/softphone',
      access: 'agent',
      tags,
      summary: 'Your softphone’s registration: the SIP edge’s WebSocket address and time-limited credentials',
      description:
        'The console’s softphone registers as `agent-<your user id>` with these credentials (valid until `expiresAt`, about 12 hours: ask again before then). `{ enabled: false }` while voice is off.',
      response: softphoneDto,
      handler: async ({ credentials }) => voice.softphone(credentials!.user.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/voice/calls/{conversationId}',
      access: 'agent',
      tags,
      summary: 'The live call of a conversation: phase, agent, hold, consult',
      params: conversationParams,
      response: callDto,
      handler: async ({ params, credentials }) => {
        await requireCallAccess(credentials, params.conversationId)
        const dialing = voice.outbound.pending.get(params.conversationId)
        if (dialing && !voice.callOf(params.conversationId))
          return {
            conversationId: dialing.conversationId,
            callId: '',
            phase: 'ringing-agent',
            from: '',
            to: dialing.to,
            queue: null,
            agentId: dialing.agentId,
            held: false,
            consult: null,
            lastConsult: null,
            startedAt: new Date().toISOString(),
            answeredAt: null,
            answeredByAgentAt: null,
            waitMs: null,
            outbound: { phase: dialing.phase, outcome: dialing.outcome },
          }
        return voice.controls.view(params.conversationId)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls',
      access: 'agent',
      tags,
      summary: 'Call a customer: your softphone rings first, then the customer is called through the SIP trunk',
      description:
        'Give `callbackId` (a callback assigned to you: its number, its conversation; no answer or busy is recorded as its outcome, so it is retried), `conversationId` (its contact’s phone, or `number`), or only `number` (a new voice conversation for the contact with that number, created if needed). The conversation is assigned to you. Follow the call with GET /api/v1/voice/calls/{conversationId}. Needs voice.outboundTrunk.',
      payload: z
        .strictObject({
          conversationId: z.string().min(1).max(64).optional(),
          callbackId: z.string().min(1).max(64).optional(),
          number: z.string().trim().min(3).max(40).optional(),
        })
        .refine((p) => p.conversationId || p.callbackId || p.number, 'give conversationId, callbackId or number')
        .refine((p) => !(p.conversationId && p.callbackId), 'give conversationId or callbackId, not both'),
      response: z.object({ conversationId: z.string(), to: z.string().describe('the number called, masked') }),
      status: 202,
      handler: async ({ payload, credentials, actor }) => {
        if (payload.conversationId) await requireCallAccess(credentials, payload.conversationId)
        return voice.outbound.place({ agent: credentials!.user, actor, ...payload })
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls/{conversationId}/hold',
      access: 'agent',
      tags,
      summary: 'Hold the caller (they hear music, nothing of yours reaches them) or resume',
      params: conversationParams,
      payload: z.strictObject({ hold: z.boolean() }),
      response: callDto,
      handler: async ({ params, payload, credentials }) => {
        await requireCallAccess(credentials, params.conversationId)
        return voice.controls.hold(params.conversationId, payload.hold)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls/{conversationId}/dtmf',
      access: 'agent',
      tags,
      summary: 'Send keys to the caller (RFC 4733), e.g. to get through their own phone menu',
      params: conversationParams,
      payload: z.strictObject({
        digits: z
          .string()
          .min(1)
          .max(32)
          .regex(/^[0-9*#A-Da-d]+$/, 'keys 0-9, *, # and A-D'),
      }),
      response: z.object({ sent: z.string() }),
      handler: async ({ params, payload, credentials }) => {
        await requireCallAccess(credentials, params.conversationId)
        return voice.controls.dtmf(params.conversationId, payload.digits)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls/{conversationId}/hangup',
      access: 'agent',
      tags,
      summary: 'Hang up the call (the conversation stays yours to wrap up)',
      params: conversationParams,
      handler: async ({ params, credentials }) => {
        await requireCallAccess(credentials, params.conversationId)
        await voice.controls.hangup(params.conversationId)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls/{conversationId}/consult',
      access: 'agent',
      tags,
      summary: 'Attended transfer: hold the caller and ring a colleague to talk to first',
      description:
        'The caller holds while the colleague’s softphone rings; when they answer you talk to them. Then complete (they take the call) or cancel (back to the caller). A consult that is not answered ends by itself (see `lastConsult`) and you resume the caller.',
      params: conversationParams,
      payload: z.strictObject({ agentId: z.string().min(1).max(64) }),
      response: callDto,
      status: 202,
      handler: async ({ params, payload, credentials }) => {
        await requireCallAccess(credentials, params.conversationId)
        return voice.controls.consult(params.conversationId, payload.agentId)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls/{conversationId}/consult/complete',
      access: 'agent',
      tags,
      summary: 'Complete the attended transfer: the colleague takes the caller and the conversation',
      params: conversationParams,
      response: callDto,
      handler: async ({ params, credentials, actor }) => {
        await requireCallAccess(credentials, params.conversationId)
        return voice.controls.completeConsult(params.conversationId, actor)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/voice/calls/{conversationId}/consult/cancel',
      access: 'agent',
      tags,
      summary: 'Cancel the attended transfer: the colleague’s leg ends, you are back with the caller',
      params: conversationParams,
      response: callDto,
      handler: async ({ params, credentials }) => {
        await requireCallAccess(credentials, params.conversationId)
        return voice.controls.cancelConsult(params.conversationId)
      },
    }),
  ]
}
