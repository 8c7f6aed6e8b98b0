import type { Actor } from '../../audit/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Logger } from '../../logger.js'
import type { Db } from '../../storage/index.js'
import type { AgentCalls, AgentSide } from './agent-calls.js'
import type { CallSession } from './call-session.js'
import { maskNumber, type CallPhase } from './call-state.js'

/** What GET /api/v1/voice/calls/{conversationId} answers. */
export interface CallView {
  conversationId: string
  callId: string
  phase: CallPhase
  /** the caller's number, masked */
  from: string
  to: string
  queue: string | null
  /** the agent talking to the caller (or whose softphone rings) */
  agentId: string | null
  /** the caller holds: hears hold music, hears and reaches nobody */
  held: boolean
  /** an attended transfer in progress */
  consult: { agentId: string; state: 'ringing' | 'connected' } | null
  /** how the last consult that did not connect ended (no-answer, busy, cancelled, hung-up…) */
  lastConsult: { agentId: string; outcome: string } | null
  startedAt: string
  answeredAt: string | null
  answeredByAgentAt: string | null
  waitMs: number | null
}

export interface CallControlsDeps {
  db: Db
  agentCalls: AgentCalls
  sessionFor(conversationId: string): CallSession | undefined
  logger: Logger
}

/**
 * What an agent does with a call from the console (call-routes.ts): hold and resume, keys to
 * the caller, hang up, and the attended transfer — consult a colleague while the caller holds,
 * then hand the call over (complete) or go back to the caller (cancel). The blind transfer is the
 * conversation's own transfer (POST /api/v1/conversations/{id}/transfer): agent-calls.ts moves
 * the call when the conversation moves.
 */
export function createCallControls(deps: CallControlsDeps) {
  const { agentCalls } = deps

  function live(conversationId: string): CallSession {
    const session = deps.sessionFor(conversationId)
    if (!session || session.isEnded)
      throw userError(ErrorCode.NOT_FOUND, `Conversation ${conversationId} has no call in progress`, { status: 404 })
    return session
  }

  /** The call with an agent on it (answered). */
  function connected(conversationId: string): { session: CallSession; side: AgentSide } {
    const session = live(conversationId)
    const side = agentCalls.sideOf(session)
    if (session.facts.phase !== 'connected' || !side.leg?.media)
      throw userError(
        ErrorCode.CONFLICT,
        `The call of conversation ${conversationId} is not connected to an agent (it is ${session.facts.phase})`,
        { status: 409 },
      )
    return { session, side }
  }

  function view(session: CallSession): CallView {
    const facts = session.facts
    const side = agentCalls.sides.get(facts.callId)
    return {
      conversationId: facts.conversationId ?? '',
      callId: facts.callId,
      phase: facts.phase,
      from: maskNumber(facts.from),
      to: facts.to,
      queue: facts.queue,
      agentId: facts.agentId,
      held: side?.held ?? false,
      consult: side?.consult ? { agentId: side.consult.agentId, state: side.consult.state } : null,
      lastConsult: side?.lastConsult ?? null,
      startedAt: facts.startedAt.toISOString(),
      answeredAt: facts.answeredAt?.toISOString() ?? null,
      answeredByAgentAt: facts.answeredByAgentAt?.toISOString() ?? null,
      waitMs: facts.waitMs,
    }
  }

  return {
    view: (conversationId: string): CallView => view(live(conversationId)),

    hold(conversationId: string, hold: boolean): CallView {
      const { session, side } = connected(conversationId)
      if (side.consult)
        throw userError(ErrorCode.CONFLICT, 'The caller holds while you consult: complete or cancel the consult', {
          status: 409,
        })
      agentCalls.hold(side, hold)
      return view(session)
    },

    /** Keys sent to the caller as RFC 4733 events (an IVR at the other end: the agent presses for the caller). */
    async dtmf(conversationId: string, digits: string): Promise<{ sent: string }> {
      const { session } = connected(conversationId)
      await session.callerMedia.sendDtmf(digits)
      return { sent: digits }
    },

    async hangup(conversationId: string): Promise<void> {
      const session = live(conversationId)
      await session.hangUp('agent-hangup')
    },

    async consult(conversationId: string, agentId: string): Promise<CallView> {
      const { session, side } = connected(conversationId)
      if (side.consult)
        throw userError(ErrorCode.CONFLICT, 'A consult is already in progress: complete or cancel it first', {
          status: 409,
        })
      if (agentId === side.leg!.userId)
        throw userError(ErrorCode.VALIDATION, 'Consult a colleague, not the agent on the call', {
          details: [{ path: ['agentId'], message: 'the agent on the call' }],
        })
      const user = await deps.db.user.findUnique({ where: { id: agentId }, select: { id: true, active: true } })
      if (!user || user.active === false)
        throw userError(ErrorCode.VALIDATION, `No active user ${agentId}`, {
          details: [{ path: ['agentId'], message: 'no such active user' }],
        })
      if (agentCalls.busy(agentId))
        throw userError(ErrorCode.CONFLICT, 'That colleague is on a call', {
          status: 409,
        })
      void agentCalls
        .startConsult(side, agentId)
        .catch((error: unknown) =>
          deps.logger.error({ err: error, callId: session.facts.callId }, 'the consult leg failed'),
        )
      return view(session)
    },

    async completeConsult(conversationId: string, actor: Actor): Promise<CallView> {
      const session = live(conversationId)
      const side = agentCalls.sideOf(session)
      if (side.consult?.state !== 'connected')
        throw userError(ErrorCode.CONFLICT, 'No consult is connected: the colleague has not answered', {
          status: 409,
        })
      await agentCalls.completeConsult(side, actor)
      return view(session)
    },

    async cancelConsult(conversationId: string): Promise<CallView> {
      const session = live(conversationId)
      const side = agentCalls.sideOf(session)
      if (!side.consult) throw userError(ErrorCode.CONFLICT, 'No consult is in progress', { status: 409 })
      await agentCalls.cancelConsult(side)
      return view(session)
    },
  }
}

export type CallControls = ReturnType<typeof createCallControls>
