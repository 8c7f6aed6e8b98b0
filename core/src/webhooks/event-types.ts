import { createHash } from 'node:crypto'

/**
 * The bus topics integrators may subscribe to, with what each means. Other topics on the bus
 * (`auth.*`, `kb.changed`, `plugins.changed`…) are internal and never leave the server.
 * docs/webhooks.md lists the same types with their payloads.
 */
export const PUBLIC_EVENT_TYPES = {
  'conversation.created': 'a new conversation was opened (first message of a customer on a channel)',
  'conversation.message.created': 'a message was stored: inbound, the bot’s, an agent’s reply or internal note',
  'conversation.queued': 'a conversation was handed to a queue',
  'conversation.assigned': 'a conversation was assigned to an agent (by routing or a transfer)',
  'conversation.updated': 'status, tags or priority of a conversation changed',
  'conversation.resolved': 'a conversation was resolved',
  'conversation.reopened': 'a resolved conversation was opened again',
  'ticket.created': 'a ticket was opened (by an agent, a flow, the API, a survey or a split)',
  'ticket.updated': 'a ticket’s status, priority, category, tier, team, assignee or subject changed',
  'ticket.assigned': 'a ticket was given to an agent',
  'ticket.escalated': 'a ticket moved up a tier or to a team (by hand or by an escalation rule), with the reason',
  'ticket.reopened': 'a resolved or closed ticket was opened again (e.g. after a low survey score)',
  'ticket.merged': 'a ticket was merged into another',
  'ticket.split': 'a new ticket was split off another',
  'ticket.note': 'an internal note was added to a ticket',
  'sla.warning': 'an SLA clock (first response, next response, resolution) is about to breach',
  'sla.breached': 'an SLA clock passed its target',
  'agent.presence': 'an agent’s presence changed (available, away, busy, after-call work)',
  'callback.scheduled': 'a callback was promised, rescheduled, or will be retried after a missed attempt',
  'callback.due': 'a callback is due: it joined its queue at the customer’s place in line',
  'callback.assigned': 'a due callback was given to an agent',
  'callback.completed': 'a callback reached the customer',
  'callback.failed': 'a callback ran out of attempts or its window',
  'callback.cancelled': 'a callback was cancelled',
  'survey.sent': 'a follow-up survey (CSAT or NPS) was sent on the customer’s channel',
  'survey.answered': 'a customer answered a survey (with `low` when the score is at or below the threshold)',
  'recurring-issue.raised': 'the same customer got in touch about the same problem N times within the window',
  'qa.result.created': 'a finished conversation was inspected by the quality rules (score and hits)',
  'qa.result.updated': 'an inspection was redone (the conversation was resolved again, or an admin asked)',
  'qa.result.reviewed': 'a supervisor agreed with or overrode an inspection',
  'alert.raised': 'a threshold alert rule started firing (e.g. more than N waiting in a queue)',
  'alert.cleared': 'a threshold alert ended: its condition no longer holds, or the rule was removed',
} as const

export type PublicEventType = keyof typeof PUBLIC_EVENT_TYPES

/** Events that plugins emit are published as `plugin.<plugin name>.<topic>`. */
export const PLUGIN_EVENT_PREFIX = 'plugin.'

/** Sent only by `POST /api/v1/webhooks/{id}/test`, whatever the webhook subscribes to. */
export const TEST_EVENT_TYPE = 'webhook.test'

/** The bus patterns the delivery side subscribes to: every public type, and every plugin event. */
export const BUS_PATTERNS: readonly string[] = [...Object.keys(PUBLIC_EVENT_TYPES), `${PLUGIN_EVENT_PREFIX}*`]

const pluginTopic = /^plugin\.[a-z0-9][a-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9._-]*$/

/** A topic that may leave the server: a public type or a plugin's event. */
export function isPublicTopic(topic: string): boolean {
  return topic in PUBLIC_EVENT_TYPES || pluginTopic.test(topic)
}

/**
 * Whether a subscription entry is valid: a public type, a plugin event, `*`, or a prefix
 * ending in `*` that covers at least one of them (`conversation.*`, `plugin.*`,
 * `plugin.erp-woocommerce.*`).
 */
export function isValidEventPattern(pattern: string): boolean {
  if (!pattern.endsWith('*')) return isPublicTopic(pattern)
  const prefix = pattern.slice(0, -1)
  if (prefix.includes('*')) return false
  if (prefix.startsWith(PLUGIN_EVENT_PREFIX) || PLUGIN_EVENT_PREFIX.startsWith(prefix)) return true
  return Object.keys(PUBLIC_EVENT_TYPES).some((type) => type.startsWith(prefix))
}

/** The bus's own rule: a pattern is a topic, or a prefix ending in `*`. */
export function matchesEventPattern(pattern: string, topic: string): boolean {
  return pattern.endsWith('*') ? topic.startsWith(pattern.slice(0, -1)) : pattern === topic
}

/**
 * A stable key for one bus event, the same on every instance that sees it (the bus hands
 * every subscriber the same JSON), so the instances can agree to deliver it once.
 */
export function eventKeyOf(topic: string, event: unknown): string {
  return createHash('sha256')
    .update(`${topic}\u0000${JSON.stringify(event ?? null)}`)
    .digest('hex')
    .slice(0, 32)
}
