import { businessHoursState, storedBusinessHours } from '../../calendar/index.js'
import type { CallbacksService } from '../../callbacks/index.js'
import type { SurveysService } from '../../surveys/index.js'
import type { Actor } from '../../audit/index.js'
import type { ContactsService } from '../../contacts/index.js'
import type { QueuesService } from '../../queues/index.js'
import type { EventBus, Scheduler } from '../../infra/index.js'
import type { Db, Prisma } from '../../storage/index.js'
import type { FlowEffects } from './flow-effects.js'
import type { RunRecord } from './run-record.js'

const MAX_RESPONSE_BYTES = 1024 * 1024

export interface DbEffectsDeps {
  db: Db
  bus: EventBus
  scheduler: Scheduler
  contacts: ContactsService
  httpAllowedHosts: string[]
  classify?: FlowEffects['classifyIntent']
  searchKb?: FlowEffects['searchKnowledgeBase']
  /** plugin actions (`erp.getOrder`, `plugin.action`), run in the plugin sandbox */
  pluginAction?: FlowEffects['callPluginAction']
  /** the tickets module (created after the flow runtime, hence a function) */
  tickets?: () => FlowTicketPort
  /** the callbacks module (created after the flow runtime, hence a function) */
  callbacks?: () => Pick<CallbacksService, 'scheduleFromFlow'>
  /** the surveys module (created after the flow runtime, hence a function) */
  surveys?: () => Pick<SurveysService, 'scheduleFromFlow'>
  /** the queues module (created after the flow runtime, hence a function): audited, published changes */
  queues?: () => Pick<QueuesService, 'update' | 'setMember' | 'removeMember'>
}

type TicketPriority = 'low' | 'normal' | 'high' | 'urgent'
type TicketTier = 'L1' | 'L2' | 'L3'
type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed'

/**
 * What flow nodes do to tickets, through the tickets module (its history then shows
 * "flow: <name>"). The node configs only allow these values; the module checks them again.
 */
export interface FlowTicketPort {
  create(
    actor: Actor,
    input: {
      subject: string
      priority?: TicketPriority
      category?: string | null
      tier?: TicketTier
      conversationId?: string | null
      source?: 'flow'
    },
  ): Promise<{ id: number }>
  update(
    actor: Actor,
    id: number,
    patch: { status?: TicketStatus; priority?: TicketPriority; tier?: TicketTier },
  ): Promise<unknown>
}

/** Side effects of real runs: they go through the database, the bus and the scheduler. */
export function createDbEffects(deps: DbEffectsDeps, run: RunRecord): FlowEffects {
  const { db, bus } = deps
  const conversationId = run.conversationId
  return {
    classifyIntent: async (text) => (deps.classify ? deps.classify(text) : { intent: null, confidence: 0 }),
    searchKnowledgeBase: async (text, limit) => (deps.searchKb ? deps.searchKb(text, limit) : []),
    async handoff({ queue, priority, skills }) {
      const row = await db.queue.findUnique({ where: { name: queue } })
      if (!row) throw new Error(`no queue named "${queue}"`)
      if (conversationId)
        await db.conversation.update({
          where: { id: conversationId },
          data: { status: 'queued', queueId: row.id, priority, queuedAt: new Date(), version: { increment: 1 } },
        })
      await bus.publish('conversation.queued', {
        conversationId,
        queueId: row.id,
        queue,
        priority,
        skills,
        runId: run.id,
      })
    },
    async queueOpen(queue, at) {
      const row = await db.queue.findUnique({ where: { name: queue }, select: { businessHours: true } })
      if (!row) throw new Error(`no queue named "${queue}"`)
      const hours = storedBusinessHours(row.businessHours)
      return hours ? businessHoursState(hours, at) : { open: true, nextChangeAt: null }
    },
    async updateConversation({ tags, priority, attributes }) {
      if (!conversationId) return
      const current = await db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
      await db.conversation.update({
        where: { id: conversationId },
        data: {
          ...(tags ? { tags: [...new Set([...(current.tags as string[]), ...tags])] } : {}),
          ...(priority !== undefined ? { priority } : {}),
          ...(attributes && Object.keys(attributes).length
            ? { attributes: { ...(current.attributes as object), ...attributes } as Prisma.InputJsonValue }
            : {}),
        },
      })
    },
    async createTicket({ subject, priority, category, tier }) {
      const ticket = await ticketsOf(deps).create(await flowActor(db, run), {
        subject,
        priority: priority as TicketPriority,
        category: category ?? null,
        tier: (tier ?? 'L1') as TicketTier,
        conversationId,
        source: 'flow',
      })
      return { id: String(ticket.id) }
    },
    async updateTicket({ id, status, priority, tier }) {
      const ticketId = Number(id)
      if (!Number.isInteger(ticketId)) throw new Error(`"${id}" is not a ticket number`)
      await ticketsOf(deps).update(await flowActor(db, run), ticketId, {
        status: status as TicketStatus | undefined,
        priority: priority as TicketPriority | undefined,
        tier: tier as TicketTier | undefined,
      })
    },
    async scheduleCallback(input) {
      if (!deps.callbacks) throw new Error('callbacks are not available on this server')
      return deps.callbacks().scheduleFromFlow({ ...input, conversationId, runId: run.id })
    },
    async sendSurvey({ at, survey }) {
      if (!deps.surveys) throw new Error('surveys are not available on this server')
      return deps.surveys().scheduleFromFlow({ conversationId, at, survey })
    },
    async updateQueue({ queue, overflowAfterSeconds, priority, addStandby = [], removeStandby = [] }) {
      if (!deps.queues) throw new Error('queues are not available to flows on this server')
      const queues = deps.queues()
      const row = await db.queue.findUnique({
        where: { name: queue },
        select: { id: true, members: { select: { userId: true, standby: true } } },
      })
      if (!row) throw new Error(`no queue named "${queue}"`)
      // every email must name a user before anything changes
      const emails = [...new Set([...addStandby, ...removeStandby].map((e) => e.toLowerCase()))]
      const users = await db.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } })
      const idOf = new Map(users.map((u) => [u.email.toLowerCase(), u.id]))
      const unknown = emails.filter((e) => !idOf.has(e))
      if (unknown.length) throw new Error(`no user with the email ${unknown.join(', ')}`)
      const actor = await flowActor(db, run)
      const settings = {
        ...(overflowAfterSeconds !== undefined ? { overflowAfterSeconds } : {}),
        ...(priority !== undefined ? { priority } : {}),
      }
      if (Object.keys(settings).length) await queues.update(actor, row.id, settings)
      const member = new Map(row.members.map((m) => [m.userId, m.standby]))
      for (const email of addStandby) {
        const userId = idOf.get(email.toLowerCase())!
        if (!member.has(userId)) await queues.setMember(actor, row.id, userId, { standby: true })
        member.set(userId, member.get(userId) ?? true)
      }
      for (const email of removeStandby) {
        const userId = idOf.get(email.toLowerCase())!
        if (member.get(userId) === true) await queues.removeMember(actor, row.id, userId)
        member.delete(userId)
      }
    },
    async httpRequest({ method, url, headers, body, timeoutMs }) {
      const target = new URL(url)
      if (!['http:', 'https:'].includes(target.protocol))
        throw new Error(`only http and https URLs are allowed, not ${target.protocol}`)
      if (!hostAllowed(target, deps.httpAllowedHosts))
        throw new Error(`host ${target.host} is not in SWITCHBOARD_FLOW_HTTP_HOSTS`)
      const response = await fetch(target, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      })
      const text = await readLimited(response, MAX_RESPONSE_BYTES)
      let parsed: unknown = text
      if ((response.headers.get('content-type') ?? '').includes('json')) {
        try {
          parsed = JSON.parse(text)
        } catch {
          // keep the text
        }
      }
      return { status: response.status, body: parsed }
    },
    async callPluginAction(action, input) {
      if (!deps.pluginAction) throw new Error(`no plugin provides the action ${action}`)
      return deps.pluginAction(action, input)
    },
    async context() {
      if (!conversationId) return { contact: null, conversation: null }
      const conversation = await db.conversation.findUnique({ where: { id: conversationId } })
      if (!conversation) return { contact: null, conversation: null }
      const contact = await deps.contacts.get(conversation.contactId).catch(() => null)
      const { id, channel, status, priority, intent, tags, attributes } = conversation
      return {
        contact: contact as Record<string, unknown> | null,
        conversation: { id, channel, status, priority, intent, tags, attributes },
      }
    },
  }
}

function ticketsOf(deps: DbEffectsDeps): FlowTicketPort {
  if (!deps.tickets) throw new Error('tickets are not available to flows on this server')
  return deps.tickets()
}

/** A flow acts as itself in a ticket's history: "flow: <flow name>". */
async function flowActor(db: Db, run: RunRecord): Promise<Actor> {
  const flow = await db.flow.findUnique({ where: { id: run.flowId }, select: { name: true } })
  return { userId: null, email: `flow: ${flow?.name ?? run.flowId}` }
}

export function hostAllowed(url: URL, allowed: string[]): boolean {
  return allowed.some((entry) => {
    const [host, port] = entry.split(':')
    const hostMatches = host!.startsWith('*.') ? url.hostname.endsWith(host!.slice(1)) : url.hostname === host
    return hostMatches && (!port || url.port === port)
  })
}

async function readLimited(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      await reader.cancel()
      throw new Error(`the response is larger than ${limit} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
