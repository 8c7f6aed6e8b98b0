import Hapi, { type Server } from '@hapi/hapi'
import Inert from '@hapi/inert'
import HapiPino from 'hapi-pino'
import { createAiServices, type AiServices } from './ai/index.js'
import { createCallTranscription, createOpenAiTranscription, type CallTranscription } from './asr/index.js'
import { businessHoursRoutes } from './calendar/index.js'
import { auditRoutes, createAuditLog, type AuditLog } from './audit/index.js'
import { callbacksRoutes, createCallbacksService, type CallbacksService } from './callbacks/index.js'
import { cannedRoutes, createCannedService, type CannedService } from './canned/index.js'
import { authPlugin, authRoutes, createAuthService, type AuthService } from './auth/index.js'
import { loadSecrets, type Config } from './config/index.js'
import { contactsRoutes, createContactsService, type ContactsService } from './contacts/index.js'
import {
  conversationsRoutes,
  createAgentUploads,
  createConversationsService,
  type ConversationsService,
} from './conversations/index.js'
import { registerClientIp } from './http/client-ip.js'
import { docsRoutes } from './http/docs-routes.js'
import { registerErrorResponses } from './http/error-responses.js'
import { healthRoutes } from './http/health-routes.js'
import { WEB_APPS, webAppRoutes } from './http/web-app-routes.js'
import { registerMetrics } from './http/metrics.js'
import { buildOpenApi } from './http/openapi.js'
import { analyticsRoutes, createAnalyticsService, type AnalyticsService } from './analytics/index.js'
import { createInfra, type Clock, type Infra } from './infra/index.js'
import {
  createEditorPresence,
  createFlowRuntime,
  createFlowsService,
  createFlowTriggers,
  channelsRoutes,
  flowEditorsRoutes,
  flowsRoutes,
  NodeTypeRegistry,
  type FlowRuntime,
  type FlowsService,
  type FlowTriggers,
} from './flows/index.js'
import { jobsRoutes } from './jobs/index.js'
import { createKbService, kbRoutes, type KbService } from './kb/index.js'
import { createLogger, type Logger } from './logger.js'
import { createNluService, nluRoutes, type NluService } from './nlu/index.js'
import { createPiiCipher, type PiiCipher } from './pii/index.js'
import { createQaService, qaRoutes, startLiveSentiment, type QaService } from './qa/index.js'
import { createQueuesService, queuesRoutes, type QueuesService } from './queues/index.js'
import { createRecurringIssuesService, recurringIssuesRoutes, type RecurringIssuesService } from './recurring/index.js'
import { createRoutingService, routingRoutes, type RoutingService } from './routing/index.js'
import {
  createStatsService,
  registerContactCentreGauges,
  serverTimeZone,
  statsRoutes,
  type StatsService,
} from './stats/index.js'
import { registerRealtime } from './realtime/index.js'
import {
  createPluginSandboxFactory,
  createPluginsService,
  pluginsRoutes,
  pluginWebhookRoutes,
  type PluginsService,
} from './plugins/index.js'
import { pluginSockets } from './plugins/sockets/index.js'
import { databaseTarget, migrateDatabase, openDatabase, type DatabaseTarget, type Db } from './storage/index.js'
import { createSuggestionsService, suggestionsRoutes } from './suggestions/index.js'
import { createSurveysService, surveysRoutes, type SurveysService } from './surveys/index.js'
import { createTeamsService, teamsRoutes, type TeamsService } from './teams/index.js'
import { createTicketsService, ticketsRoutes, type TicketsService } from './tickets/index.js'
import { createSlaService, slaRoutes, type SlaService } from './sla/index.js'
import { createUsersService, usersRoutes, type UsersService } from './users/index.js'
import { createWebhooksService, webhooksRoutes, type WebhooksService } from './webhooks/index.js'
import { version } from './version.js'
import { createWorkforceService, workforceRoutes } from './workforce/index.js'
import { createRecordingsService, recordingsRoutes, type RecordingsService } from './voice/recordings/index.js'
import {
  callRoutes,
  createQueueExperiences,
  createVoiceCalls,
  deriveVoiceSecret,
  startVoiceEdge,
  type VoiceCalls,
  type VoiceEdge,
} from './voice/index.js'

export interface Services {
  audit: AuditLog
  auth: AuthService
  users: UsersService
  teams: TeamsService
  contacts: ContactsService
  nlu: NluService
  kb: KbService
  flows: FlowsService
  flowRuntime: FlowRuntime
  flowTriggers: FlowTriggers
  nodeTypes: NodeTypeRegistry
  plugins: PluginsService
  ai: AiServices
  canned: CannedService
  conversations: ConversationsService
  routing: RoutingService
  queues: QueuesService
  stats: StatsService
  analytics: AnalyticsService
  webhooks: WebhooksService
  // [services:tickets]
  tickets: TicketsService
  // [services:sla]
  sla: SlaService
  // [services:callbacks-surveys-recurring]
  surveys: SurveysService
  recurringIssues: RecurringIssuesService
  callbacks: CallbacksService
  // [services:voice]
  /** call recordings with consent (voice/recordings) */
  recordings: RecordingsService
  /** the voice channel's calls (answering starts with the voice edge, when voice is on) */
  voiceCalls: VoiceCalls
  // [services:qa]
  qa: QaService
  /** speech to text for recorded calls (core/src/asr) */
  callTranscription: CallTranscription
}

export interface App {
  config: Config
  logger: Logger
  target: DatabaseTarget
  db: Db
  infra: Infra
  pii: PiiCipher
  services: Services
  server: Server
  /** Starts the scheduler and listens. */
  start(): Promise<void>
  /** Graceful shutdown: stops taking requests, lets those in flight finish, closes everything. */
  stop(): Promise<void>
}

export interface CreateAppOptions {
  logger?: Logger
  /** how long an inbound message's bot turn has before the durable takeover job answers it (tests shorten it) */
  botTakeoverMs?: number
  /** the system clock unless a scenario test moves time by hand (createManualClock) */
  clock?: Clock
}

/**
 * The composition root: storage, then shared infrastructure, then the domain services, then
 * the HTTP routes that call them. Dependencies point one way (routes → services → storage/infra).
 */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config)
  const secrets = loadSecrets(config)
  const target = databaseTarget(config)
  if (config.database.migrateOnStart) {
    const result = await migrateDatabase(target, {
      onApply: (name) => logger.info({ migration: name }, 'applying database migration'),
    })
    if (result.modified.length > 0)
      logger.warn(
        { migrations: result.modified },
        'applied migrations were edited afterwards; the database keeps the old version',
      )
  }
  const db = await openDatabase(target)
  const infra = await createInfra({
    db,
    logger,
    redis: config.redis.url ? { url: config.redis.url, prefix: config.redis.prefix } : undefined,
    clock: options.clock,
  }).catch(async (error) => {
    await db.$disconnect()
    throw error
  })
  const pii = createPiiCipher(secrets.piiKeys, secrets.piiHashKey)

  const audit = createAuditLog(db)
  const auth = createAuthService({
    db,
    bus: infra.bus,
    scheduler: infra.scheduler,
    cache: infra.cache,
    sessionTtlMs: config.auth.sessionTtl,
    passwordCost: config.auth.passwordCost,
  })
  const contacts = createContactsService({ db, pii, phoneRegion: config.pii.defaultRegion })
  const nlu = createNluService({ db, audit, bus: infra.bus })
  const kb = createKbService({ db, audit, bus: infra.bus })
  const nodeTypes = new NodeTypeRegistry()
  const sandbox = createPluginSandboxFactory()
  if (!sandbox.factory) logger.warn({ tried: sandbox.unavailable }, 'plugins cannot run: no usable isolated-vm')
  const plugins = createPluginsService({
    db,
    infra,
    audit,
    pii,
    logger,
    nodeTypes,
    settings: config.plugins,
    provider: target.provider,
    createSandbox: sandbox.factory,
    sandboxUnavailable: sandbox.unavailable,
    // conversations are built below (they need the flow runtime): bound when a message arrives
    onInbound: async ({ plugin, channel, identityKind, message }) =>
      conversations.receive({ channelPlugin: plugin, channel, identityKind, message }),
  })
  // flows see intents and the knowledge base through one interface: the built-in models, or an LLM plugin
  const ai = createAiServices({ nlu, kb, plugins, provider: config.ai.provider, logger })
  const classifyIntent = ai.classifyIntent
  const searchKnowledgeBase = ai.searchKnowledgeBase
  const flowRuntime = createFlowRuntime({
    db,
    infra,
    registry: nodeTypes,
    contacts,
    httpAllowedHosts: splitList(config.flows.httpAllowedHosts),
    sqliteFile: target.provider === 'sqlite' ? target.file : undefined,
    classify: classifyIntent,
    searchKb: searchKnowledgeBase,
    pluginAction: (ref, input) => plugins.callAction(ref, input),
    callbacks: () => callbacks,
    surveys: () => surveys,
    tickets: () => tickets,
    // [wiring:live] flows change queues' routing (update-queue) through the queues service
    queues: () => services.queues,
    onOutputs: async (run, outputs) => {
      await conversations
        .deliverFlowOutputs(run.conversationId!, outputs)
        .catch((error: unknown) => logger.error({ err: error, runId: run.id }, "a flow's messages were not delivered"))
      // a call's prompts, key collection, hand-off and hang-up (voice/calls)
      voiceCalls.flowOutputs(run, outputs)
    },
  })
  const simulator = {
    registry: nodeTypes,
    nlu: { classifyIntent },
    kb: { searchKnowledgeBase },
    resolveFlow: (flow: string) => flowRuntime.store.publishedVersion(flow),
  }
  const flowTriggers = createFlowTriggers({ db, infra, engine: flowRuntime.engine, audit })
  const conversations: ConversationsService = createConversationsService({
    db,
    infra,
    audit,
    logger,
    contacts,
    engine: () => flowRuntime.engine,
    triggers: () => flowTriggers,
    send: ({ channelPlugin, channel, to, text, quickReplies, media }) =>
      plugins.send(channelPlugin, {
        channel,
        message: media
          ? { to, kind: media.mimeType?.startsWith('image/') ? 'image' : 'file', text, media }
          : { to, kind: 'text', text, quickReplies },
      }),
    pii,
    botTakeoverMs: options.botTakeoverMs,
    caseInsensitiveSearch: target.provider === 'postgresql',
    slaBadges: (ids) => sla.conversationBadges(ids),
    uploads: createAgentUploads(
      config.data.dir,
      (p) => plugins.loadedManifest(p)?.permissions.sockets[0]?.name ?? null,
    ),
  })
  const canned = createCannedService({ db, audit, bus: infra.bus, contacts })
  const suggestions = createSuggestionsService({ db, kb, canned, ai })
  const routing = createRoutingService({ db, infra, audit, logger })
  // ── tickets, SLA and escalation, callbacks, surveys, recurring issues (issue 8) ──
  // [wiring:tickets]
  const tickets = createTicketsService({
    db,
    bus: infra.bus,
    audit,
    clock: infra.clock,
    dataDir: config.data.dir,
    pii,
    logger,
    conversations,
    publicUrl: config.server.publicUrl,
    caseInsensitiveSearch: target.provider === 'postgresql',
  })
  // [wiring:sla]
  const sla = createSlaService({ db, infra, audit, logger, tickets, conversations })
  // [wiring:callbacks-surveys-recurring]
  const surveys = createSurveysService({ db, infra, audit, logger, conversations, tickets })
  const recurringIssues = createRecurringIssuesService({ db, infra, audit, logger, kb, contacts, tickets })
  const callbacks = createCallbacksService({
    db,
    infra,
    audit,
    logger,
    pii,
    phoneRegion: config.pii.defaultRegion,
    conversations,
    ticketEvent: (ticketId, event) => tickets.addEvent(ticketId, event),
  })
  // [wiring:qa]
  // speech to text for recorded calls: when a transcript is stored, QA inspects the call again
  const callTranscription = createCallTranscription({
    db,
    infra,
    logger,
    speechToText: config.ai.transcriptionUrl
      ? createOpenAiTranscription({
          baseUrl: config.ai.transcriptionUrl,
          model: config.ai.transcriptionModel,
          apiKey: config.ai.transcriptionApiKey,
          language: config.ai.transcriptionLanguage,
        })
      : null,
    language: config.ai.transcriptionLanguage,
    onTranscribed: (conversationId) => qa.scheduleEvaluation(conversationId, true),
  })
  // quality inspection: the resolution rubric asks the LLM plugin when the admin chose one
  const qa = createQaService({
    db,
    infra,
    audit,
    logger,
    llm: {
      available: () => ai.llmAvailable(),
      complete: async (input) => (await plugins.callAction('llm.complete', input)) as { text: string },
    },
  })
  // the customer's mood, read after each of their messages (escalation rules act on a negative one)
  void startLiveSentiment({ db, bus: infra.bus, logger, conversations }).catch((error: unknown) =>
    logger.error({ err: error }, 'live sentiment could not subscribe'),
  )

  // [wiring:voice]
  // call recording with consent: sealed with the personal-data key ring, read back for speech to text
  const recordings = createRecordingsService({
    db,
    infra,
    audit,
    logger,
    dataDir: config.data.dir,
    keys: secrets.piiKeys,
    settings: config.voice,
    setAttributes: (conversationId, attributes) => conversations.setAttributes(conversationId, attributes),
  })
  callTranscription.useRecordings(recordings.readRecording)
  const voiceCalls = createVoiceCalls({
    numbers: splitList(config.voice.numbers),
    db,
    clock: infra.clock,
    logger,
    dataDir: config.data.dir,
    phoneRegion: config.pii.defaultRegion,
    conversations,
    contacts,
    flowRuntime,
    // queue experience (helper C): hold music, position and wait announcements, the callback offer
    queueExperience: createQueueExperiences({
      settings: config.voice,
      dataDir: config.data.dir,
      clock: infra.clock,
      logger,
      phoneRegion: config.pii.defaultRegion,
      waiting: () => routing.waiting(),
      callbacks,
    }),
    bus: infra.bus,
    scheduler: infra.scheduler,
    routing,
    calls: {
      agentRingSeconds: config.voice.agentRingSeconds,
      afterCallWorkSeconds: config.voice.afterCallWorkSeconds,
      publicWebSocketUrl: config.voice.publicWebSocketUrl,
      outboundTrunk: config.voice.outboundTrunk,
      holdMusicFile: config.voice.holdMusicFile,
    },
    callbacks,
    recording: recordings.callHooks, // [hook:recording]
  })

  const services: Services = {
    audit,
    auth,
    users: createUsersService({ db, audit, auth, locks: infra.locks, passwordCost: config.auth.passwordCost }),
    teams: createTeamsService(db, audit, infra.bus),
    nlu,
    kb,
    contacts,
    nodeTypes,
    plugins,
    ai,
    canned,
    flows: createFlowsService({ db, audit, registry: nodeTypes, bus: infra.bus }),
    flowRuntime,
    flowTriggers,
    conversations,
    routing,
    queues: createQueuesService({ db, bus: infra.bus, audit }),
    analytics: createAnalyticsService({ db, clock: infra.clock, timeZone: serverTimeZone() }),
    stats: createStatsService({ db, infra, audit, logger, waitEstimates: () => routing.waiting() }),
    webhooks: createWebhooksService({ db, infra, audit, pii, logger, settings: config.webhooks }),
    // [services-init:tickets]
    tickets,
    // [services-init:sla]
    sla,
    // [services-init:callbacks-surveys-recurring]
    surveys,
    recurringIssues,
    callbacks,
    // [services-init:voice]
    recordings,
    voiceCalls,
    // [services-init:qa]
    qa,
    callTranscription,
  }

  const server = Hapi.server({
    port: config.server.port,
    host: config.server.host,
    debug: false,
    router: { stripTrailingSlash: true },
    routes: {
      security: { hsts: false, xframe: 'sameorigin', noSniff: true, referrer: 'same-origin', xss: 'disabled' },
      payload: { maxBytes: 1024 * 1024 },
    },
  })
  await server.register({
    plugin: HapiPino,
    options: {
      instance: logger,
      ignorePaths: ['/health', '/metrics'],
      logRequestComplete: true,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      // query strings carry phone numbers and emails (contact look-ups): log the path only
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          path: String(req.url ?? '').split('?')[0],
          remoteAddress: req.remoteAddress,
        }),
      },
    },
  })
  await server.register(Inert)
  registerClientIp(server, config.server.trustProxy)
  const cookieSecure = config.auth.cookieSecure ?? config.server.publicUrl?.startsWith('https:') ?? false
  await server.register({
    plugin: authPlugin,
    options: { auth, cookieSecret: secrets.cookieSecret, cookieSecure, sessionTtlMs: config.auth.sessionTtl },
  })
  // who has a flow open in the builder (realtime /flows/{id}/editors, GET /api/v1/flows/{id}/editors)
  const flowEditors = createEditorPresence({ bus: infra.bus })
  await registerRealtime(server, { auth, db, bus: infra.bus, logger, cookieSecret: secrets.cookieSecret, flowEditors })
  registerErrorResponses(server, logger)
  // Prometheus: HTTP and process metrics, and the contact centre's queues, agents, alerts and SLA clocks
  registerContactCentreGauges(registerMetrics(server), { db, clock: infra.clock, alerts: services.stats.alerts })
  // the WebSocket transport channel plugins are granted (web chat), its uploads and the widget
  await server.register({
    plugin: pluginSockets,
    options: { db, bus: infra.bus, contacts, conversations, plugins, logger, dataDir: config.data.dir },
  })

  server.route([
    ...healthRoutes({ db, infra, provider: target.provider, version }),
    ...authRoutes(auth, audit),
    ...usersRoutes(services.users),
    ...teamsRoutes(services.teams),
    ...contactsRoutes(services.contacts, audit),
    ...nluRoutes(services.nlu),
    ...kbRoutes(services.kb),
    ...flowsRoutes(services.flows, services.flowRuntime, services.flowTriggers, services.nodeTypes, simulator),
    ...flowEditorsRoutes(services.flows, flowEditors),
    ...conversationsRoutes(conversations),
    ...routingRoutes(routing),
    ...queuesRoutes(services.queues),
    ...statsRoutes(services.stats),
    ...analyticsRoutes(services.analytics),
    ...businessHoursRoutes(),
    ...pluginsRoutes(plugins, contacts),
    ...pluginWebhookRoutes(plugins),
    ...jobsRoutes(infra.scheduler, audit),
    ...webhooksRoutes(services.webhooks),
    ...auditRoutes(audit),
    ...cannedRoutes(canned),
    ...suggestionsRoutes(suggestions),
    // [routes:tickets]
    ...ticketsRoutes(tickets),
    // [routes:sla]
    ...slaRoutes(sla),
    // [routes:callbacks-surveys-recurring]
    ...surveysRoutes(surveys),
    ...recurringIssuesRoutes(recurringIssues),
    ...callbacksRoutes(callbacks),
    // [routes:qa]
    ...qaRoutes(qa),
    // [routes:voice-calls]
    ...callRoutes(voiceCalls, db),
    // [routes:voice-recording]
    ...recordingsRoutes(recordings),
    // [routes:workforce]
    ...workforceRoutes(createWorkforceService({ db, infra, audit })),
    // [routes:channels] the builder's channel list (with entry flows) and cron preview
    ...channelsRoutes(db, () => infra.clock.now()),
  ])
  // threshold alerts are evaluated while the server listens (also where only the server is started)
  server.ext('onPreStart', () => services.stats.start())
  server.ext('onPostStop', () => services.stats.stop())
  let openapi: unknown
  server.route(docsRoutes(() => (openapi ??= buildOpenApi(server, { version }))))
  server.route(webAppRoutes('/console', WEB_APPS.console, 'console'))
  server.route(webAppRoutes('/builder', WEB_APPS.builder, 'flow builder'))
  server.route({ method: 'GET', path: '/', options: { auth: false }, handler: (_r, h) => h.redirect('/console') })

  let stopped = false
  // Kamailio and rtpengine, when voice is on (started with the server, stopped with it)
  let voiceEdge: VoiceEdge | undefined
  return {
    config,
    logger,
    target,
    db,
    infra,
    pii,
    services,
    server,
    async start() {
      await services.plugins.start()
      await services.webhooks.start()
      await infra.scheduler.start()
      await services.flowTriggers.start()
      await services.routing.start()
      // [start:issue8]
      // [start:voice]
      await services.recordings.start()
      if (config.voice.enabled) {
        voiceEdge = await startVoiceEdge({
          settings: config.voice,
          dataDir: config.data.dir,
          secret: deriveVoiceSecret(secrets.cookieSecret),
          logger,
        })
        // the numbers register at the edge: calls are answered from here on
        await services.voiceCalls.start(voiceEdge)
      }
      await services.sla.start()
      await services.callbacks.start()
      await server.start()
      logger.info({ url: server.info.uri, database: target.provider, infra: infra.kind }, 'switchboard is listening')
    },
    async stop() {
      if (stopped) return
      stopped = true
      await server.stop({ timeout: config.server.shutdownTimeout })
      await services.voiceCalls.stop()
      await voiceEdge?.stop()
      await services.conversations.drain()
      await services.routing.stop()
      await services.flowTriggers.stop()
      // what events already set off (a job to schedule, a clock to stop) finishes before the scheduler stops
      await infra.bus.drain()
      await infra.scheduler.stop()
      await services.webhooks.stop()
      await services.plugins.stop()
      await infra.close()
      services.flowRuntime.close()
      await db.$disconnect()
    },
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}
