import { randomBytes } from 'node:crypto'
import { businessHoursState, storedBusinessHours } from '../../calendar/index.js'
import type { ContactsService } from '../../contacts/index.js'
import type { EventBus, Scheduler } from '../../infra/index.js'
import type { Db, Prisma } from '../../storage/index.js'
import type { FlowEffects } from './flow-effects.js'
import type { RunRecord } from './run-record.js'

export const CALLBACK_DUE_JOB = 'flows.callback-due'
export const SURVEY_DUE_JOB = 'flows.survey-due'
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
}

/** Side effects of real runs: they go through the database, the bus and the scheduler. */
export function createDbEffects(deps: DbEffectsDeps, run: RunRecord): FlowEffects {
  const { db, bus, scheduler } = deps
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
      const conversation = conversationId ? await db.conversation.findUnique({ where: { id: conversationId } }) : null
      const ticket = await db.ticket.create({
        data: {
          subject,
          priority,
          category,
          tier: tier ?? 'L1',
          conversationId,
          contactId: conversation?.contactId ?? null,
          statusToken: randomBytes(24).toString('hex'),
        },
      })
      await bus.publish('ticket.created', { ticketId: ticket.id, conversationId, runId: run.id })
      return { id: String(ticket.id) }
    },
    async updateTicket({ id, status, priority, tier }) {
      const ticketId = Number(id)
      if (!Number.isInteger(ticketId)) throw new Error(`"${id}" is not a ticket number`)
      await db.ticket.update({
        where: { id: ticketId },
        data: { status, priority, tier, ...(status === 'resolved' ? { resolvedAt: new Date() } : {}) },
      })
      await bus.publish('ticket.updated', { ticketId, status, priority, tier, runId: run.id })
    },
    async scheduleCallback({ at, note, phone }) {
      const job = await scheduler.schedule({
        type: CALLBACK_DUE_JOB,
        runAt: at,
        payload: { conversationId, note, phone: phone ?? null, runId: run.id },
      })
      return { id: job.id }
    },
    async sendSurvey({ at, survey }) {
      const job = await scheduler.schedule({
        type: SURVEY_DUE_JOB,
        runAt: at,
        payload: { conversationId, survey, runId: run.id },
      })
      return { id: job.id }
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
