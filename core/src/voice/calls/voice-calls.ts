import { join } from 'node:path'
import { systemActor } from '../../audit/index.js'
import type { ContactsService } from '../../contacts/index.js'
import type { ConversationsService } from '../../conversations/index.js'
import type { FlowOutput, FlowRuntime } from '../../flows/index.js'
import type { Clock, EventBus, Scheduler } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import { normalizePhone } from '../../pii/index.js'
import type { Db } from '../../storage/index.js'
import type { VoiceEdge } from '../edge/voice-edge.js'
import type { RoutingService } from '../../routing/index.js'
import { createAgentCalls, type AgentCalls } from './agent-calls.js'
import { agentSipUser } from './agent-leg.js'
import { CallSession, type CallSessionDeps } from './call-session.js'
import { createCallControls, type CallControls } from './transfer.js'
import { createOutboundCalls, type OutboundCalls } from './outbound.js'
import type { CallbacksService } from '../../callbacks/index.js'
import { holdMusic } from './hold-audio.js'
import { maskNumber, newCallFacts, type CallFacts } from './call-state.js'
import { createPromptCache, espeakSpeech, type SpeechProvider } from './prompts.js'
import type { RtpSessionHandler } from './rtp-session-handler.js'
import { CREDENTIALS_RENEW_MS, startCallAgents, type CallAgents, type IncomingCall } from './user-agent.js'

export interface VoiceCallsOptions {
  /** the numbers Switchboard answers (each registered as sip:<number>@<domain>) */
  numbers: string[]
  db: Db
  clock: Clock
  logger: Logger
  dataDir: string
  /** the region of numbers without a country code (pii.defaultRegion) */
  phoneRegion: string
  conversations: ConversationsService
  contacts: ContactsService
  flowRuntime: FlowRuntime
  /** text to speech; espeak-ng by default */
  speech?: SpeechProvider
  /** queue experience (helper C): what queued callers hear (createQueueExperiences); unset: the hold prompt only */
  queueExperience?: CallSessionDeps['queueExperience']
  bus: EventBus
  scheduler: Scheduler
  routing: RoutingService
  /** agents on calls (the voice.* settings of [settings:calls]) */
  calls: {
    /** voice.agentRingSeconds */
    agentRingSeconds: number
    /** voice.afterCallWorkSeconds (0: none) */
    afterCallWorkSeconds: number
    /** voice.publicWebSocketUrl: what softphones connect to, instead of the edge's own address */
    publicWebSocketUrl?: string | undefined
    /** voice.outboundTrunk: outgoing calls are possible */
    outboundTrunk?: string | undefined
    /** voice.holdMusicFile: what an agent's hold plays (the built-in music when unset) */
    holdMusicFile?: string | undefined
  }
  /** callbacks: an outgoing call for one records its outcome (no answer, busy) */
  callbacks?: CallbacksService
  /** [hook:recording] call recording with consent (voice/recordings); unset: calls are not recorded */
  recording?: CallSessionDeps['recording']
}

/** GET /api/v1/voice/softphone: where and how an agent's softphone registers. */
export type SoftphoneConfig =
  | { enabled: false }
  | {
      enabled: true
      webSocketUrl: string
      domain: string
      user: string
      uri: string
      username: string
      password: string
      expiresAt: string
      afterCallWorkSeconds: number
    }

export interface VoiceCalls {
  /** registers the numbers at the (running) edge; calls are answered from then on */
  start(edge: VoiceEdge): Promise<void>
  /** hangs up every call and unregisters */
  stop(): Promise<void>
  /** what a conversation's flow produced (wired to the flow runtime's onOutputs) */
  flowOutputs(run: { conversationId: string | null }, outputs: FlowOutput[]): void
  /** calls in progress */
  active(): CallFacts[]
  /** the last finished calls, newest last (at most 100) */
  recent(): CallFacts[]
  /** the edge the calls go through, while started */
  edge(): VoiceEdge | undefined
  /** an agent's softphone settings with fresh credentials (`enabled: false` while voice is off) */
  softphone(userId: string): SoftphoneConfig
  /** the live call of a conversation (in this process) */
  callOf(conversationId: string): CallSession | undefined
  /** hold, keys, hang-up, attended transfer (call-routes.ts) */
  controls: CallControls
  /** outgoing calls for agents (callbacks, calls to customers) */
  outbound: OutboundCalls
}

/** how long softphone credentials are valid; the console asks again before they expire */
const SOFTPHONE_CREDENTIALS_MS = 12 * 3600_000

const HOLD_PROMPT = {
  en: 'Please hold, an agent will be with you shortly.',
  zh: '请稍候，正在为您转接人工客服。',
}
/** outputs for a conversation whose call is still being set up wait this long */
const EARLY_OUTPUTS_MS = 30_000

/**
 * The voice channel's calls: the user agent answers each number, a call becomes a conversation on
 * channel `voice` (the caller found by their number's keyed hash, or created), its start and the
 * caller's keys go in through conversations.receive (so the channel's entry flow starts as for a
 * chat message), and the flow's outputs are played on the call by a CallSession.
 */
export function createVoiceCalls(options: VoiceCallsOptions): VoiceCalls {
  const logger = options.logger.child({ module: 'voice-calls' })
  const { db, clock, conversations, contacts } = options
  const prompts = createPromptCache({
    dir: join(options.dataDir, 'voice', 'prompts'),
    audioDir: join(options.dataDir, 'voice', 'audio'),
    speech: options.speech ?? espeakSpeech(),
  })
  const sessions = new Map<string, CallSession>()
  const byConversation = new Map<string, CallSession>()
  const early = new Map<string, { outputs: FlowOutput[]; at: number }>()
  const finished: CallFacts[] = []
  let agents: CallAgents | undefined
  let edge: VoiceEdge | undefined
  let stopping = false

  const agentCalls: AgentCalls = createAgentCalls({
    db,
    bus: options.bus,
    scheduler: options.scheduler,
    clock,
    logger,
    routing: options.routing,
    agents: () => agents,
    sessionFor: (conversationId) => byConversation.get(conversationId),
    settings: {
      ringSeconds: options.calls.agentRingSeconds,
      afterCallWorkSeconds: options.calls.afterCallWorkSeconds,
    },
    holdAudio: () => holdMusic({ dataDir: options.dataDir, file: options.calls.holdMusicFile ?? null, logger }),
    // [hook:queue-experience] what a caller waiting for an agent hears; unset: hold music (queue-experience.ts may set it)
    queueAudio: options.queueExperience
      ? { start: (session) => session.startQueueExperience(), stop: (session) => session.queueExperience?.stop() }
      : undefined,
  })
  const controls = createCallControls({
    db,
    agentCalls,
    sessionFor: (conversationId) => byConversation.get(conversationId),
    logger,
  })

  /** The caller's identity: their number (E.164) when the caller ID is one, else this call alone. */
  async function callerIdentity(facts: CallFacts): Promise<{ kind: string; address: string }> {
    let number: string
    try {
      number = normalizePhone(facts.from, options.phoneRegion)
    } catch {
      // anonymous or a SIP name: a contact of its own rather than one shared by every withheld number
      return { kind: 'sip-caller', address: `${facts.from}/${facts.callId}`.slice(0, 200) }
    }
    if (!(await contacts.findByIdentity('phone', number))) {
      // a contact whose phone number is this one (keyed hash) gets the caller ID as an identity
      const [known] = await contacts.list({ phone: number, limit: 1 })
      if (known) await contacts.addIdentity(known.id, { channel: 'phone', address: number, verified: false })
    }
    return { kind: 'phone', address: number }
  }

  /** Ends the caller's voice conversations no live call belongs to (left open by a crash), so this call starts afresh. */
  async function closeStale(identity: { kind: string; address: string }) {
    const contact = await contacts.findByIdentity(identity.kind, identity.address)
    if (!contact) return
    const open = await db.conversation.findMany({
      where: { contactId: contact.id, channel: 'voice', status: { in: ['bot', 'queued'] } },
      select: { id: true },
    })
    for (const { id } of open) {
      if (byConversation.has(id)) continue
      await cancelWaitingRuns(id)
      await conversations.setAttributes(id, { callOutcome: 'interrupted' })
      await conversations.update(systemActor('voice'), id, { status: 'resolved' })
    }
  }

  const identities = new WeakMap<CallFacts, { kind: string; address: string }>()

  const sessionDeps: CallSessionDeps = {
    prompts,
    clock,
    logger,
    async inbound(facts, message) {
      let identity = identities.get(facts)
      if (!identity) {
        identity = await callerIdentity(facts)
        identities.set(facts, identity)
        await closeStale(identity)
      }
      const received = await conversations.receive({
        channelPlugin: null,
        channel: 'voice',
        identityKind: identity.kind,
        // every call is a conversation of its own (the last one may still be with its agent); its keys go to it
        conversation: facts.conversationId ? { id: facts.conversationId } : 'new',
        message: {
          channelMessageId: message.id,
          from: { id: identity.address, kind: identity.kind },
          kind: message.kind,
          ...(message.text !== undefined ? { text: message.text } : {}),
          ...(message.event !== undefined ? { event: message.event } : {}),
          receivedAt: clock.now().toISOString(),
        },
      })
      // the caller's language chooses what Switchboard itself says (the hold announcement)
      const session = sessions.get(facts.callId)
      if (session && session.language === null) {
        const contact = await contacts.findByIdentity(identity.kind, identity.address)
        session.language = contact?.language ?? null
      }
      return received.conversationId
    },
    async runState(conversationId) {
      const run = await db.flowRun.findFirst({
        where: { conversationId },
        orderBy: { startedAt: 'desc' },
        select: { status: true, waitingFor: true },
      })
      if (!run) return 'none'
      if (run.status === 'waiting')
        return (run.waitingFor as { spec?: { for?: string } } | null)?.spec?.for === 'input'
          ? 'waiting-input'
          : 'waiting'
      return run.status === 'running' ? 'running' : 'ended'
    },
    holdPrompt: (language) => (language?.startsWith('zh') ? HOLD_PROMPT.zh : HOLD_PROMPT.en),
    finish,
    queueExperience: options.queueExperience, // queue experience (helper C)
    recording: options.recording, // [hook:recording]
    handedOff: (session) =>
      void agentCalls
        .handedOff(session)
        .catch((error: unknown) =>
          logger.error({ err: error, callId: session.facts.callId }, 'the agent was not rung'),
        ),
  }

  const outbound = createOutboundCalls({
    db,
    bus: options.bus,
    clock,
    logger,
    contacts,
    callbacks: options.callbacks,
    phoneRegion: options.phoneRegion,
    prompts,
    agents: () => agents,
    agentCalls,
    enabled: () => Boolean(options.calls.outboundTrunk),
    ringSeconds: options.calls.agentRingSeconds,
    sessionDeps,
    adopt(session) {
      sessions.set(session.facts.callId, session)
      byConversation.set(session.facts.conversationId!, session)
    },
    busy: (agentId) => agentCalls.busy(agentId),
  })

  /** A waiting run of a call that is over would go on talking to nobody: it is cancelled. */
  async function cancelWaitingRuns(conversationId: string) {
    await options.flowRuntime.cancelWaiting(conversationId)
  }

  /** The IVR path: the nodes the conversation's runs went through, a gather's keys after its id (menu:1). */
  async function ivrPath(conversationId: string): Promise<string[]> {
    const runs = await db.flowRun.findMany({
      where: { conversationId },
      orderBy: { startedAt: 'asc' },
      select: { id: true },
    })
    const path: string[] = []
    for (const { id } of runs) {
      const run = await options.flowRuntime.getRun(id)
      for (const step of run?.steps ?? []) {
        const output = step.output as { digits?: unknown; waitingFor?: unknown }
        const entry = typeof output.digits === 'string' ? `${step.nodeId}:${output.digits}` : step.nodeId
        // a gather is one step when it starts waiting and one when it resumes: keep the one with the keys
        if (path.at(-1) === step.nodeId) path[path.length - 1] = entry
        else path.push(entry)
      }
    }
    return path.slice(-100)
  }

  async function finish(facts: CallFacts) {
    const session = sessions.get(facts.callId)
    // the agent's leg (and a consult's) ends with the caller's; the agent gets after-call work
    if (session)
      await agentCalls
        .callEnded(session)
        .catch((error: unknown) => logger.error({ err: error }, 'the agent leg did not end'))
    sessions.delete(facts.callId)
    finished.push(facts)
    if (finished.length > 100) finished.shift()
    // Kamailio releases the media on the BYE; this covers a call that ended without one
    await edge?.ng.command({ command: 'delete', 'call-id': facts.callId }, 1000).catch(() => undefined)
    const conversationId = facts.conversationId
    if (!conversationId) return
    if (byConversation.get(conversationId)?.facts === facts) byConversation.delete(conversationId)
    await cancelWaitingRuns(conversationId)
    const conversation = await conversations.get(conversationId)
    // assigned but no agent ever answered: the caller gave up while a softphone rang
    const talked = facts.answeredByAgentAt !== null
    const outcome =
      conversation.status === 'queued' || (conversation.status === 'assigned' && !talked)
        ? 'abandoned'
        : conversation.status === 'assigned'
          ? 'answered'
          : facts.end === 'caller-hangup'
            ? 'caller-hung-up'
            : facts.end === 'failed'
              ? 'failed'
              : 'completed'
    const from = facts.endedAt!.getTime() - (facts.answeredAt ?? facts.startedAt).getTime()
    await conversations.setAttributes(conversationId, {
      callId: facts.callId,
      from: maskNumber(facts.from),
      to: facts.to,
      durationMs: Math.max(0, from),
      ivrPath: await ivrPath(conversationId),
      callOutcome: outcome,
      ...(talked
        ? {
            agentId: facts.agentId,
            agents: facts.agents,
            answeredByAgentAt: facts.answeredByAgentAt!.toISOString(),
            waitMs: facts.waitMs,
            talkMs: Math.max(0, facts.endedAt!.getTime() - facts.answeredByAgentAt!.getTime()),
          }
        : {}),
    })
    // an agent's call stays theirs to close; the IVR's and a caller who left the queue are resolved
    if (conversation.status === 'bot' || conversation.status === 'queued' || outcome === 'abandoned')
      await conversations.update(systemActor('voice'), conversationId, { status: 'resolved' })
    logger.info(
      { callId: facts.callId, conversationId, outcome, end: facts.end, keys: facts.keys.length },
      'call ended',
    )
  }

  function incoming(call: IncomingCall) {
    const { invitation } = call
    if (stopping) {
      void invitation.reject({ statusCode: 503 }).catch(() => undefined)
      return
    }
    const facts = newCallFacts({ callId: call.callId, from: call.from, to: call.to, at: clock.now() })
    let session: CallSession | undefined
    logger.info({ callId: call.callId, from: maskNumber(call.from), to: call.to }, 'incoming call')
    invitation.stateChange.addListener((state) => {
      if (state === 'Established') {
        const handler = invitation.sessionDescriptionHandler as RtpSessionHandler | undefined
        if (!handler) return
        session = new CallSession(
          facts,
          handler.media,
          { bye: () => invitation.bye().then(() => undefined) },
          sessionDeps,
        )
        sessions.set(call.callId, session)
        handler.onKey((key) => session!.key(key))
        handler.startMedia()
        const current = session
        void current
          .answered()
          .then((conversationId) => {
            if (current.isEnded) return
            byConversation.set(conversationId, current)
            const waiting = early.get(conversationId)
            early.delete(conversationId)
            if (waiting) current.handleOutputs(waiting.outputs)
          })
          .catch(async (error: unknown) => {
            logger.error({ err: error, callId: call.callId }, 'the call could not be connected to a conversation')
            await current.hangUp('failed')
          })
      }
      if (state === 'Terminated') {
        if (session) void session.terminated()
        else {
          sessions.delete(call.callId)
          ;(invitation.sessionDescriptionHandler as RtpSessionHandler | undefined)?.close()
        }
      }
    })
    invitation.accept().catch((error: unknown) => {
      logger.warn({ err: error, callId: call.callId }, 'the call could not be answered')
    })
  }

  return {
    async start(running) {
      edge = running
      stopping = false
      if (options.numbers.length === 0) {
        logger.warn('voice is on but no number is set (SWITCHBOARD_VOICE_NUMBERS): no call is answered')
        return
      }
      const webSocket = running.endpoints.webSocket
      if (!webSocket)
        throw new Error('the voice edge has no WebSocket listener (voice.wsPort is 0): no call can be answered')
      agents = await startCallAgents({
        webSocketUrl: webSocket,
        domain: running.plan.domain ?? running.plan.listenAddress,
        numbers: options.numbers,
        mediaAddress: running.plan.listenAddress,
        // a real wall-clock expiry: Kamailio checks it against its own clock
        credentials: (user) => running.credentials(user, new Date(Date.now() + 4 * CREDENTIALS_RENEW_MS)),
        onCall: incoming,
        logger,
      })
      await agentCalls.start()
    },
    async stop() {
      stopping = true
      await agentCalls.stop()
      await Promise.all([...sessions.values()].map((s) => s.hangUp('shutdown')))
      await agents?.stop()
      agents = undefined
    },
    flowOutputs(run, outputs) {
      if (!run.conversationId) return
      const session = byConversation.get(run.conversationId)
      if (session) return session.handleOutputs(outputs)
      if (sessions.size === 0 || !outputs.some((o) => o.kind.startsWith('voice.') || o.kind === 'handoff')) return
      // the call's conversation may not be known yet (its entry flow answered first)
      const now = performance.now()
      for (const [id, entry] of early) if (now - entry.at > EARLY_OUTPUTS_MS) early.delete(id)
      const entry = early.get(run.conversationId) ?? { outputs: [], at: now }
      entry.outputs.push(...outputs)
      early.set(run.conversationId, entry)
    },
    active: () => [...sessions.values()].map((s) => s.facts),
    recent: () => [...finished],
    edge: () => edge,
    softphone(userId) {
      const running = edge
      const webSocketUrl =
        options.calls.publicWebSocketUrl ?? running?.endpoints.secureWebSocket ?? running?.endpoints.webSocket
      if (!running || !webSocketUrl) return { enabled: false }
      const user = agentSipUser(userId)
      const domain = running.plan.domain ?? running.plan.listenAddress
      // a real wall-clock expiry: Kamailio checks it against its own clock
      const credentials = running.credentials(user, new Date(Date.now() + SOFTPHONE_CREDENTIALS_MS))
      return {
        enabled: true,
        webSocketUrl,
        domain,
        user,
        uri: `sip:${user}@${domain}`,
        username: credentials.username,
        password: credentials.password,
        expiresAt: credentials.expiresAt.toISOString(),
        afterCallWorkSeconds: options.calls.afterCallWorkSeconds,
      }
    },
    callOf: (conversationId) => byConversation.get(conversationId),
    controls,
    outbound,
  }
}
