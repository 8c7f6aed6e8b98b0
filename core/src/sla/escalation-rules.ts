import { systemActor, type Actor, type AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db, Prisma } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import {
  createRuleInput,
  DEFAULT_REQUEST_KEYWORDS,
  ruleAction,
  ruleConditions,
  updateRuleInput,
  type CreateRuleInput,
  type EscalationRuleTrigger,
  type RuleAction,
  type RuleConditions,
  type RuleView,
  type SlaMetric,
  type UpdateRuleInput,
} from './sla-dto.js'
import { OPEN_TICKET, openTicketsOf, type TicketRow } from './sla-subjects.js'

type RuleRow = Awaited<ReturnType<Db['escalationRule']['findFirstOrThrow']>>

interface Rule {
  id: string
  name: string
  trigger: EscalationRuleTrigger
  conditions: RuleConditions
  action: RuleAction
}

/** What escalation needs of the tickets module (TicketsService.escalate). */
export interface EscalationTickets {
  escalate(
    actor: Actor,
    id: number,
    input: {
      tier?: 'L1' | 'L2' | 'L3'
      teamId?: string | null
      assigneeId?: string | null
      priority?: 'low' | 'normal' | 'high' | 'urgent'
      reason: string
      trigger: 'manual' | 'sla.warning' | 'sla.breached' | 'sentiment' | 'customer-request'
    },
    /** `ruleId`: the rule that escalated, kept in the history entry */
    options?: { ruleId?: string },
  ): Promise<unknown>
}

function ruleOf(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    trigger: row.trigger as EscalationRuleTrigger,
    conditions: ruleConditions.safeParse(row.conditions).data ?? {},
    action: ruleAction.safeParse(row.action).data ?? {},
  }
}

function toView(row: RuleRow): RuleView {
  const rule = ruleOf(row)
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    position: row.position,
    trigger: row.trigger,
    conditions: rule.conditions,
    action: rule.action,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** Whether a rule's ticket conditions hold (an absent or empty list holds for all). */
function ticketMatches(conditions: RuleConditions, ticket: TicketRow, metric?: SlaMetric): boolean {
  const holds = (list: string[] | undefined, value: string | null | undefined) =>
    !list?.length || (value != null && list.includes(value))
  return (
    holds(conditions.metrics, metric) &&
    holds(conditions.priorities, ticket.priority) &&
    holds(conditions.categories, ticket.category) &&
    holds(conditions.tiers, ticket.tier)
  )
}

/** The keyword a customer's message asks for escalation with, if any (case and width of spaces ignored). */
export function requestKeyword(text: string, keywords: string[] = DEFAULT_REQUEST_KEYWORDS): string | null {
  const haystack = text.toLowerCase().replace(/\s+/g, ' ')
  return keywords.find((k) => haystack.includes(k.toLowerCase().replace(/\s+/g, ' '))) ?? null
}

/** The sentiment of a conversation: the column, else the attribute a flow or plugin set (attributes.sentiment). */
function sentimentOf(conversation: { sentiment: string | null; attributes: unknown }): string | null {
  if (conversation.sentiment) return conversation.sentiment.toLowerCase()
  const attribute = (conversation.attributes as Record<string, unknown> | null)?.sentiment
  return typeof attribute === 'string' ? attribute.toLowerCase() : null
}

/**
 * Escalation rules: when an SLA clock of a ticket warns or breaches, when a conversation linked to
 * an open ticket turns negative, or when the customer asks for a manager, the first enabled rule
 * (by position) whose conditions hold hands the ticket on through tickets.escalate() — a higher
 * tier, a team, a person, a priority — with the reason and the trigger in its history. A rule acts
 * once per situation: it does nothing when the ticket is already where the rule would put it, and
 * a ticket lock makes instances that see the same event agree.
 */
export function createEscalationRules(deps: {
  db: Db
  infra: Infra
  audit: AuditLog
  logger: Logger
  tickets: EscalationTickets | null
}) {
  const { db, infra, audit, logger } = deps

  async function find(id: string): Promise<RuleRow> {
    const row = await db.escalationRule.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No escalation rule ${id}`, { status: 404 })
    return row
  }

  /** 400 naming the field when the team or person of an action does not exist. */
  async function checkAction(action: RuleAction | undefined): Promise<void> {
    if (!action) return
    const problems: Array<{ in: string; path: string; message: string }> = []
    if (action.teamId && !(await db.team.findUnique({ where: { id: action.teamId }, select: { id: true } })))
      problems.push({ in: 'payload', path: 'action.teamId', message: `no team ${action.teamId}` })
    if (action.assigneeId) {
      const user = await db.user.findUnique({ where: { id: action.assigneeId }, select: { active: true } })
      if (!user?.active)
        problems.push({ in: 'payload', path: 'action.assigneeId', message: `no active user ${action.assigneeId}` })
    }
    if (problems.length)
      throw userError(
        ErrorCode.VALIDATION,
        `Invalid payload: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        { details: problems },
      )
  }

  const nameTaken = (name: string) =>
    userError(ErrorCode.CONFLICT, `An escalation rule named "${name}" already exists`, {
      status: 409,
      details: [{ in: 'payload', path: 'name', message: 'taken' }],
    })

  async function rulesFor(trigger: EscalationRuleTrigger): Promise<Rule[]> {
    const rows = await db.escalationRule.findMany({
      where: { enabled: true, trigger },
      orderBy: [{ position: 'asc' }, { name: 'asc' }],
    })
    return rows.map(ruleOf)
  }

  /** Runs a rule's action on a ticket, unless the ticket is closed or already where the rule puts it. */
  async function act(rule: Rule, ticketId: number, trigger: EscalationRuleTrigger, reason: string): Promise<boolean> {
    const tickets = deps.tickets
    if (!tickets) return false
    return infra.locks.withLock(`escalation:ticket:${ticketId}`, { ttlMs: 30_000, waitMs: 15_000 }, async () => {
      const ticket = await db.ticket.findUnique({ where: { id: ticketId } })
      if (!ticket || !OPEN_TICKET.includes(ticket.status)) return false
      // a mood lasts: a sentiment rule acts once on a ticket, not on every update of a negative conversation
      if (trigger === 'sentiment' && (await actedBefore(rule.id, ticketId))) return false
      const { tier, teamId, assigneeId, priority } = rule.action
      const changes =
        (tier !== undefined && tier !== ticket.tier) ||
        (teamId !== undefined && teamId !== ticket.teamId) ||
        (assigneeId !== undefined && assigneeId !== ticket.assigneeId) ||
        (priority !== undefined && priority !== ticket.priority)
      if (!changes) return false
      await tickets.escalate(
        systemActor(`escalation rule: ${rule.name}`),
        ticketId,
        {
          // a rule without a tier keeps the ticket's (the tickets module would otherwise go one up)
          tier: tier ?? (ticket.tier as 'L1' | 'L2' | 'L3'),
          ...(teamId !== undefined ? { teamId } : {}),
          ...(assigneeId !== undefined ? { assigneeId } : {}),
          ...(priority !== undefined ? { priority } : {}),
          reason,
          trigger,
        },
        { ruleId: rule.id },
      )
      logger.info({ ticketId, rule: rule.name, trigger }, 'escalation rule applied')
      return true
    })
  }

  /** Whether the rule escalated the ticket already (its history entry names the rule). */
  async function actedBefore(ruleId: string, ticketId: number): Promise<boolean> {
    const escalations = await db.ticketEvent.findMany({
      where: { ticketId, kind: 'escalated' },
      select: { data: true },
    })
    return escalations.some((e) => (e.data as { ruleId?: unknown } | null)?.ruleId === ruleId)
  }

  async function firstMatching(
    trigger: EscalationRuleTrigger,
    ticket: TicketRow,
    extra: (rule: Rule) => boolean = () => true,
    metric?: SlaMetric,
  ): Promise<Rule | null> {
    for (const rule of await rulesFor(trigger))
      if (ticketMatches(rule.conditions, ticket, metric) && extra(rule)) return rule
    return null
  }

  return {
    async list(): Promise<RuleView[]> {
      const rows = await db.escalationRule.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] })
      return rows.map(toView)
    },

    async get(id: string): Promise<RuleView> {
      return toView(await find(id))
    },

    async create(actor: Actor, input: CreateRuleInput): Promise<RuleView> {
      const data = parseInput(createRuleInput, input, 'payload')
      await checkAction(data.action)
      try {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.escalationRule.create({
            data: {
              ...data,
              conditions: data.conditions as Prisma.InputJsonValue,
              action: data.action as Prisma.InputJsonValue,
            },
          })
          await audit.record(
            actor,
            {
              action: 'escalation-rule.created',
              targetType: 'escalation-rule',
              targetId: created.id,
              details: { name: data.name, trigger: data.trigger },
            },
            tx as never,
          )
          return created
        })
        return toView(row)
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') throw nameTaken(data.name)
        throw error
      }
    },

    async update(actor: Actor, id: string, input: UpdateRuleInput): Promise<RuleView> {
      const data = parseInput(updateRuleInput, input, 'payload')
      const existing = ruleOf(await find(id))
      // the conditions must fit the trigger the rule will have
      parseInput(
        createRuleInput,
        {
          name: data.name ?? existing.name,
          trigger: data.trigger ?? existing.trigger,
          conditions: data.conditions ?? existing.conditions,
          action: data.action ?? existing.action,
        },
        'payload',
      )
      await checkAction(data.action)
      const { conditions, action, ...plain } = data
      try {
        const row = await db.$transaction(async (tx) => {
          const updated = await tx.escalationRule.update({
            where: { id },
            data: {
              ...plain,
              ...(conditions ? { conditions: conditions as Prisma.InputJsonValue } : {}),
              ...(action ? { action: action as Prisma.InputJsonValue } : {}),
            },
          })
          await audit.record(
            actor,
            {
              action: 'escalation-rule.updated',
              targetType: 'escalation-rule',
              targetId: id,
              details: { fields: Object.keys(data) },
            },
            tx as never,
          )
          return updated
        })
        return toView(row)
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') throw nameTaken(data.name ?? '')
        throw error
      }
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const existing = await find(id)
      await db.$transaction(async (tx) => {
        await tx.escalationRule.delete({ where: { id } })
        await audit.record(
          actor,
          {
            action: 'escalation-rule.deleted',
            targetType: 'escalation-rule',
            targetId: id,
            details: { name: existing.name },
          },
          tx as never,
        )
      })
    },

    /** An SLA warning or breach on a ticket clock (sla.onEvent). */
    async onSlaEvent(
      kind: 'sla.warning' | 'sla.breached',
      clock: { metric: string; ticketId: number | null },
      policyName: string | null,
    ): Promise<void> {
      if (clock.ticketId === null) return
      const ticket = await db.ticket.findUnique({ where: { id: clock.ticketId } })
      if (!ticket || !OPEN_TICKET.includes(ticket.status)) return
      const metric = clock.metric as SlaMetric
      const rule = await firstMatching(kind, ticket, undefined, metric)
      if (!rule) return
      const what = metric.replace('_', ' ')
      const reason =
        kind === 'sla.breached'
          ? `SLA breached: ${what}${policyName ? ` (policy "${policyName}")` : ''} / SLA 已超时`
          : `SLA warning: ${what} due soon${policyName ? ` (policy "${policyName}")` : ''} / SLA 即将超时`
      await act(rule, ticket.id, kind, reason)
    },

    /**
     * A conversation event: the customer's message may ask for a manager (customer-request rules,
     * their keywords), and the conversation's sentiment may have turned (sentiment rules). Acts on
     * the open tickets the conversation is linked to.
     */
    async onConversationEvent(topic: string, event: { conversationId?: string; messageId?: string }): Promise<void> {
      if (!event.conversationId) return
      const inboundText =
        topic === 'conversation.message.created' && event.messageId
          ? await db.message
              .findUnique({ where: { id: event.messageId }, select: { direction: true, body: true } })
              .then((m) => (m?.direction === 'inbound' ? m.body : null))
          : null
      if (topic !== 'conversation.updated' && inboundText === null) return
      const tickets = await openTicketsOf(db, event.conversationId)
      if (tickets.length === 0) return
      const conversation = await db.conversation.findUnique({
        where: { id: event.conversationId },
        select: { sentiment: true, attributes: true },
      })
      const sentiment = conversation ? sentimentOf(conversation) : null
      for (const ticket of tickets) {
        if (inboundText !== null) {
          let keyword: string | null = null
          const rule = await firstMatching('customer-request', ticket, (r) => {
            keyword = requestKeyword(inboundText, r.conditions.keywords ?? DEFAULT_REQUEST_KEYWORDS)
            return keyword !== null
          })
          const snippet = inboundText.length > 200 ? `${inboundText.slice(0, 200)}…` : inboundText
          if (rule && (await act(rule, ticket.id, 'customer-request', `Customer asked (“${keyword}”): ${snippet}`)))
            continue
        }
        if (sentiment) {
          const rule = await firstMatching('sentiment', ticket, (r) =>
            (r.conditions.sentiments ?? ['negative']).map((s) => s.toLowerCase()).includes(sentiment),
          )
          if (rule)
            await act(rule, ticket.id, 'sentiment', `Conversation sentiment: ${sentiment} / 客户情绪：${sentiment}`)
        }
      }
    },
  }
}
export type EscalationRules = ReturnType<typeof createEscalationRules>
