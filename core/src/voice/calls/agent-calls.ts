import { systemActor } from '../../audit/index.js'
import type { EventBus, Clock, Scheduler } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import { notify } from '../../notifications/index.js'
import type { RoutingService } from '../../routing/index.js'
import type { Db } from '../../storage/index.js'
import { AgentLeg, CALLER_HEADER, CONVERSATION_HEADER, type RingOutcome } from './agent-leg.js'
import { Bridge } from './bridge.js'
import type { CallSession } from './call-session.js'
import { advance, maskNumber, type CallFacts } from './call-state.js'
import type { RtpMedia } from './media.js'
import type { CallAgents } from './user-agent.js'

/** The durable job that ends an agent's after-call work. */
export const AFTER_CALL_WORK_JOB = 'voice.after-call-work'

/** An attended transfer in progress: the colleague's leg, bridged with the first agent once answered. */
export interface Consult {
  agentId: string
  leg: AgentLeg
  state: 'ringing' | 'connected'
  bridge: Bridge | undefined
  /** the colleague was available and is busy for the consult (available again after it) */
  madeBusy: boolean
}

/** the presence reason of a colleague being consulted */
const CONSULT_REASON = 'consult'

/** The agent side of one call: the agent's leg, the bridge to the caller, hold, an attended transfer. */
export interface AgentSide {
  session: CallSession
  /** the agent leg ringing or answered */
  leg: AgentLeg | undefined
  /** the caller ⇄ agent bridge while connected */
  bridge: Bridge | undefined
  held: boolean
  consult: Consult | undefined
  /** how the last consult that did not connect ended */
  lastConsult: { agentId: string; outcome: string } | undefined
  /** the assignment Switchboard itself makes (a completed consult): its event rings nobody */
  expectedAssignee: string | undefined
  /** audio looped on the caller's leg (hold music) and how to stop it */
  loop: { stop(): void } | undefined
}

export interface AgentCallsDeps {
  db: Db
  bus: EventBus
  scheduler: Scheduler
  clock: Clock
  logger: Logger
  routing: RoutingService
  agents(): CallAgents | undefined
  /** the live call of a conversation, if this process has it */
  sessionFor(conversationId: string): CallSession | undefined
  settings: { ringSeconds: number; afterCallWorkSeconds: number }
  /** music on hold (µ-law, loopable) */
  holdAudio(): Promise<Buffer>
  /**
   * What the caller hears while waiting for an agent, started when the call goes (back) to its
   * queue and stopped when an agent answers. [hook:queue-experience] queue-experience.ts replaces
   * the default (hold music) through voice-calls.ts.
   */
  queueAudio?: { start(session: CallSession): void; stop(session: CallSession): void } | undefined
}

/**
 * Connects callers to agents: when a call's conversation is assigned, the agent's softphone
 * rings (an AgentLeg); answered, the two legs are bridged; not answered, the call goes back to its
 * queue in its place and the agent is set away. Re-assignment and re-queueing (a blind transfer)
 * move the call; the agent's hang-up ends it; after the call the agent has after-call work.
 */
export function createAgentCalls(deps: AgentCallsDeps) {
  const { db, bus, clock, routing } = deps
  const logger = deps.logger.child({ module: 'voice-agents' })
  const sides = new Map<string, AgentSide>()
  const unsubscribers: Array<() => Promise<void>> = []
  const queueAudio = deps.queueAudio ?? {
    start: (session: CallSession) => loopAudio(sideOf(session), session.callerMedia, deps.holdAudio),
    stop: (session: CallSession) => {
      const side = sides.get(session.facts.callId)
      if (side) stopLoop(side)
    },
  }

  deps.scheduler.define(AFTER_CALL_WORK_JOB, async (job) => {
    const { userId } = job.payload as { userId: string; callId: string }
    const state = await db.agentState.findUnique({ where: { userId } })
    // they chose another presence meanwhile: theirs stands
    if (state?.presence !== 'after-call-work') return
    await routing.setPresence(systemActor('voice'), userId, { presence: 'available' })
  })

  function sideOf(session: CallSession): AgentSide {
    let side = sides.get(session.facts.callId)
    if (!side) {
      side = {
        session,
        leg: undefined,
        bridge: undefined,
        held: false,
        consult: undefined,
        lastConsult: undefined,
        expectedAssignee: undefined,
        loop: undefined,
      }
      sides.set(session.facts.callId, side)
    }
    return side
  }

  function loopAudio(side: AgentSide, media: RtpMedia, load: () => Promise<Buffer>) {
    stopLoop(side)
    let stopped = false
    const loop = {
      stop() {
        stopped = true
        media.stopPlayback()
      },
    }
    side.loop = loop
    void (async () => {
      const audio = await load().catch((error: unknown) => {
        logger.warn({ err: error }, 'the hold music could not be made')
        return null
      })
      while (audio && !stopped && !media.isClosed) if (!(await media.play(audio))) break
    })()
  }

  function stopLoop(side: AgentSide) {
    side.loop?.stop()
    side.loop = undefined
  }

  function detachBridge(side: AgentSide) {
    side.bridge?.detach()
    side.bridge = undefined
  }

  /** Rings an agent for the call (a transfer drops the agent it had). */
  async function ringAgent(session: CallSession, agentId: string): Promise<void> {
    const agents = deps.agents()
    if (!agents || session.isEnded) return
    const side = sideOf(session)
    if (side.leg && side.leg.userId === agentId && side.leg.state !== 'ended') return
    const previous = side.leg
    if (previous) {
      side.leg = undefined
      detachBridge(side)
      await dropConsult(side)
      side.held = false
      void previous.hangUp()
      // back to waiting: the queue's audio until the next agent answers
      queueAudio.start(session)
    }
    const facts = session.facts
    if (!advance(facts, 'ringing-agent')) return
    facts.agentId = agentId
    const leg = new AgentLeg(
      agents,
      agentId,
      { [CONVERSATION_HEADER]: facts.conversationId ?? '', [CALLER_HEADER]: maskNumber(facts.from) },
      deps.settings.ringSeconds * 1000,
      logger,
    )
    side.leg = leg
    logger.info({ callId: facts.callId, agentId }, 'ringing the agent')
    void leg.ended.then(() => agentLegEnded(side, leg))
    const outcome = await leg.ring()
    if (side.leg !== leg || session.isEnded) {
      if (outcome.answered) await leg.hangUp()
      return
    }
    if (outcome.answered) connect(side, leg)
    else await missed(side, leg, outcome)
  }

  function connect(side: AgentSide, leg: AgentLeg) {
    const { session } = side
    const facts = session.facts
    queueAudio.stop(session)
    stopLoop(side)
    session.callerMedia.stopPlayback()
    detachBridge(side)
    side.bridge = new Bridge(session.callerMedia, leg.media!)
    side.held = false
    advance(facts, 'connected')
    facts.agentId = leg.userId
    facts.answeredByAgentAt = clock.now()
    facts.agents.push(leg.userId)
    if (facts.waitMs === null) void waitSince(facts).then((ms) => (facts.waitMs = ms))
    logger.info({ callId: facts.callId, agentId: leg.userId }, 'the agent answered: caller and agent are connected')
  }

  /** From joining the queue to the agent's answer (the conversation's queuedAt). */
  async function waitSince(facts: CallFacts): Promise<number | null> {
    if (!facts.conversationId || !facts.answeredByAgentAt) return null
    const row = await db.conversation
      .findUnique({ where: { id: facts.conversationId }, select: { queuedAt: true } })
      .catch(() => null)
    const from = row?.queuedAt ?? facts.answeredAt
    return from ? Math.max(0, facts.answeredByAgentAt.getTime() - from.getTime()) : null
  }

  /** The agent did not take the call: away (so no more calls are offered to them), the call back in its place. */
  async function missed(side: AgentSide, leg: AgentLeg, outcome: RingOutcome & { answered: false }) {
    const { session } = side
    const facts = session.facts
    const conversationId = facts.conversationId
    side.leg = undefined
    facts.agentId = null
    advance(facts, 'queued')
    queueAudio.start(session)
    logger.info({ callId: facts.callId, agentId: leg.userId, reason: outcome.reason }, 'the agent did not answer')
    try {
      await routing.setPresence(systemActor('voice'), leg.userId, { presence: 'away', reason: 'missed call' })
      await notify(bus, {
        kind: 'voice.missed-call',
        title: { en: 'You missed a call', 'zh-CN': '您错过了一个来电' },
        body: {
          en: 'Your presence is now away, so no calls are offered to you. Set yourself available to take calls again.',
          'zh-CN': '您的状态已改为“离开”，系统不再为您分配来电。要继续接听，请将状态设为“在线”。',
        },
        userIds: [leg.userId],
        ...(conversationId ? { link: `/conversations/${conversationId}` } : {}),
        data: { conversationId, reason: outcome.reason },
        at: clock.now().toISOString(),
      })
      if (conversationId) await requeue(conversationId, leg.userId)
    } catch (error) {
      logger.error({ err: error, callId: facts.callId }, 'the missed call was not put back in its queue')
    }
  }

  /**
   * Back in line where it was: status queued, nobody assigned, queuedAt kept (a transfer to the
   * queue would put it at the end). Only while it is still this agent's.
   */
  async function requeue(conversationId: string, agentId: string) {
    const updated = await db.conversation.updateMany({
      where: { id: conversationId, status: 'assigned', assigneeId: agentId },
      data: { status: 'queued', assigneeId: null, version: { increment: 1 } },
    })
    if (updated.count === 0) return
    const row = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
    await bus.publish('conversation.queued', {
      conversationId,
      version: row.version,
      status: row.status,
      queueId: row.queueId,
      assigneeId: null,
      reason: 'agent-no-answer',
    })
  }

  /** A leg of the call ended: the agent hung up (the call ends, or a consult completes), or a consult leg did. */
  async function agentLegEnded(side: AgentSide, leg: AgentLeg) {
    const { session } = side
    if (leg.closedByUs || session.isEnded) return
    if (side.consult?.leg === leg) {
      // the colleague hung up (or never answered: handled where it rang): back to the caller
      if (side.consult.state === 'connected') await cancelConsult(side, 'hung-up')
      return
    }
    if (side.leg !== leg || leg.media === undefined) return
    if (side.consult?.state === 'connected') {
      // the first agent hung up while talking to the colleague: the colleague takes the call
      await completeConsult(side, systemActor('voice'))
      return
    }
    await dropConsult(side)
    logger.info({ callId: session.facts.callId, agentId: leg.userId }, 'the agent hung up')
    await session.hangUp('agent-hangup')
  }

  async function dropConsult(side: AgentSide) {
    const consult = side.consult
    if (!consult) return
    side.consult = undefined
    consult.bridge?.detach()
    await consult.leg.hangUp()
    await consultOver(consult)
  }

  /** A colleague being consulted is offered no other work: busy meanwhile, if they were available. */
  async function consultBusy(consult: Consult) {
    try {
      const state = await db.agentState.findUnique({ where: { userId: consult.agentId } })
      if (state?.presence !== 'available') return
      consult.madeBusy = true
      await routing.setPresence(systemActor('voice'), consult.agentId, { presence: 'busy', reason: CONSULT_REASON })
    } catch (error) {
      logger.warn({ err: error, agentId: consult.agentId }, 'the consulted colleague was not set busy')
    }
  }

  async function consultOver(consult: Consult) {
    if (!consult.madeBusy) return
    consult.madeBusy = false
    try {
      const state = await db.agentState.findUnique({ where: { userId: consult.agentId } })
      if (state?.presence === 'busy' && state.reason === CONSULT_REASON)
        await routing.setPresence(systemActor('voice'), consult.agentId, { presence: 'available' })
    } catch (error) {
      logger.warn({ err: error, agentId: consult.agentId }, 'the consulted colleague was not set available again')
    }
  }

  // ── hold and attended transfer (transfer.ts calls these) ──────────────────────────────────

  function hold(side: AgentSide, held: boolean) {
    if (held === side.held) return
    side.held = held
    side.bridge?.hold(held)
    if (held) loopAudio(side, side.session.callerMedia, deps.holdAudio)
    else stopLoop(side)
  }

  /** Rings a colleague while the caller holds; answered, the first agent and the colleague talk. */
  async function startConsult(side: AgentSide, agentId: string): Promise<void> {
    const agents = deps.agents()
    const first = side.leg
    if (!agents || !first?.media) return
    hold(side, true)
    const leg = new AgentLeg(
      agents,
      agentId,
      {
        [CONVERSATION_HEADER]: side.session.facts.conversationId ?? '',
        [CALLER_HEADER]: maskNumber(side.session.facts.from),
        'X-Switchboard-Consult': first.userId,
      },
      deps.settings.ringSeconds * 1000,
      logger,
    )
    const consult: Consult = { agentId, leg, state: 'ringing', bridge: undefined, madeBusy: false }
    side.consult = consult
    side.lastConsult = undefined
    await consultBusy(consult)
    void leg.ended.then(() => agentLegEnded(side, leg))
    const outcome = await leg.ring()
    if (side.consult !== consult || side.session.isEnded) {
      if (outcome.answered) await leg.hangUp()
      return
    }
    if (!outcome.answered) {
      side.consult = undefined
      side.lastConsult = { agentId, outcome: outcome.reason }
      await consultOver(consult)
      logger.info(
        { callId: side.session.facts.callId, agentId, reason: outcome.reason },
        'the consult was not answered',
      )
      return
    }
    if (!side.leg?.media) return
    // the first agent now talks to the colleague; the caller holds (the caller's bridge is taken apart)
    detachBridge(side)
    consult.state = 'connected'
    consult.bridge = new Bridge(side.leg.media, leg.media!)
  }

  /** The colleague takes the call: caller ⇄ colleague, the first agent's leg ends, the conversation is theirs. */
  async function completeConsult(side: AgentSide, actor: Parameters<RoutingService['transfer']>[0]) {
    const consult = side.consult
    if (!consult || consult.state !== 'connected' || !consult.leg.media) return
    const { session } = side
    const first = side.leg
    consult.bridge?.detach()
    side.consult = undefined
    detachBridge(side)
    stopLoop(side)
    session.callerMedia.stopPlayback()
    side.leg = consult.leg
    side.held = false
    side.bridge = new Bridge(session.callerMedia, consult.leg.media)
    session.facts.agentId = consult.agentId
    session.facts.agents.push(consult.agentId)
    session.facts.answeredByAgentAt = clock.now()
    side.expectedAssignee = consult.agentId
    if (first) {
      first.closedByUs = true
      void first.hangUp()
    }
    if (session.facts.conversationId)
      await routing.transfer(actor, session.facts.conversationId, { agentId: consult.agentId })
    // the call is theirs now: their voice capacity keeps other calls away
    await consultOver(consult)
    logger.info({ callId: session.facts.callId, agentId: consult.agentId }, 'attended transfer completed')
  }

  /** Back to the caller: the colleague's leg ends, the caller and the first agent are bridged again. */
  async function cancelConsult(side: AgentSide, outcome = 'cancelled') {
    const consult = side.consult
    if (!consult) return
    side.lastConsult = { agentId: consult.agentId, outcome }
    await dropConsult(side)
    if (side.leg?.media && !side.bridge) side.bridge = new Bridge(side.session.callerMedia, side.leg.media)
    side.held = true
    hold(side, false)
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  async function onAssigned(event: { conversationId?: string; assigneeId?: string | null }) {
    if (!event.conversationId || !event.assigneeId) return
    const session = deps.sessionFor(event.conversationId)
    if (!session || session.isEnded || session.facts.phase === 'ringing') return
    const side = sideOf(session)
    if (side.expectedAssignee === event.assigneeId) {
      side.expectedAssignee = undefined
      return
    }
    await ringAgent(session, event.assigneeId)
  }

  async function onQueued(event: { conversationId?: string; reason?: string }) {
    if (!event.conversationId || event.reason === 'agent-no-answer') return
    const session = deps.sessionFor(event.conversationId)
    const side = session ? sides.get(session.facts.callId) : undefined
    if (!session || !side?.leg || session.isEnded) return
    // a blind transfer to a queue: the agent's leg ends, the caller waits again
    const leg = side.leg
    side.leg = undefined
    detachBridge(side)
    await dropConsult(side)
    side.held = false
    stopLoop(side)
    session.facts.agentId = null
    advance(session.facts, 'queued')
    queueAudio.start(session)
    await leg.hangUp()
    logger.info({ callId: session.facts.callId, agentId: leg.userId }, 'the call was transferred to a queue')
  }

  return {
    sides,
    async start() {
      unsubscribers.push(
        await bus.subscribe('conversation.assigned', (event) =>
          onAssigned(event as { conversationId?: string; assigneeId?: string | null }).catch((error: unknown) =>
            logger.error({ err: error }, 'the agent was not rung'),
          ),
        ),
        await bus.subscribe('conversation.queued', (event) =>
          onQueued(event as { conversationId?: string; reason?: string }).catch((error: unknown) =>
            logger.error({ err: error }, 'the transfer to a queue failed'),
          ),
        ),
      )
    },
    async stop() {
      for (const u of unsubscribers.splice(0)) await u()
    },

    /** The flow handed the call off: an agent may have been assigned before the call noticed. */
    async handedOff(session: CallSession) {
      const conversationId = session.facts.conversationId
      if (!conversationId || session.isEnded) return
      const row = await db.conversation.findUnique({
        where: { id: conversationId },
        select: { status: true, assigneeId: true },
      })
      if (row?.status === 'assigned' && row.assigneeId) await ringAgent(session, row.assigneeId)
    },

    /** The call ended (either side): every agent leg ends; an agent who talked to the caller gets after-call work. */
    async callEnded(session: CallSession) {
      const side = sides.get(session.facts.callId)
      if (!side) return
      sides.delete(session.facts.callId)
      stopLoop(side)
      detachBridge(side)
      await dropConsult(side)
      const leg = side.leg
      side.leg = undefined
      if (leg) await leg.hangUp()
      if (leg?.media && leg.state === 'ended') await afterCallWork(leg.userId, session.facts.callId)
    },

    /** An outgoing call: the agent's leg (answered first) and the customer's, now bridged. */
    adoptAnswered(session: CallSession, leg: AgentLeg) {
      const side = sideOf(session)
      side.leg = leg
      void leg.ended.then(() => agentLegEnded(side, leg))
      connect(side, leg)
    },

    /** The agent has a call (ringing or answered) or is being consulted. */
    busy(agentId: string): boolean {
      return [...sides.values()].some(
        (s) => (s.leg?.userId === agentId && s.leg.state !== 'ended') || s.consult?.agentId === agentId,
      )
    },

    hold,
    startConsult,
    completeConsult,
    cancelConsult,
    sideOf,
  }

  async function afterCallWork(userId: string, callId: string) {
    const seconds = deps.settings.afterCallWorkSeconds
    if (seconds <= 0) return
    try {
      const state = await db.agentState.findUnique({ where: { userId } })
      if (state && state.presence !== 'available' && state.presence !== 'busy') return
      await routing.setPresence(systemActor('voice'), userId, { presence: 'after-call-work', reason: 'after call' })
      await deps.scheduler.schedule({
        type: AFTER_CALL_WORK_JOB,
        key: `voice.acw:${userId}:${callId}`,
        runAt: seconds * 1000,
        payload: { userId, callId },
      })
    } catch (error) {
      logger.error({ err: error, userId }, 'after-call work was not started')
    }
  }
}

export type AgentCalls = ReturnType<typeof createAgentCalls>
