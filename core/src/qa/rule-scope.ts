import { evaluateExpression } from '../flows/index.js'
import type { Inspection } from './transcript.js'

export interface RuleScope {
  channels?: string[]
  queueIds?: string[]
  intents?: string[]
  when?: string
}

export type ScopeDecision = { applies: true } | { applies: false; reason: string; error?: string }

/**
 * What a rule's `when` sees: the conversation's `attributes` and `tags` at the top (so
 * `attributes.orderAmount > 500` reads as the admin thinks of it), and the same in `conversation`
 * and `contact`, like a flow's expressions.
 */
export function scopeData(inspection: Inspection): Record<string, unknown> {
  const { conversation, contact } = inspection
  return {
    attributes: conversation.attributes ?? {},
    tags: conversation.tags ?? [],
    conversation: {
      id: conversation.id,
      channel: conversation.channel,
      queueId: conversation.queueId,
      intent: conversation.intent,
      sentiment: conversation.sentiment,
      priority: conversation.priority,
      tags: conversation.tags ?? [],
      attributes: conversation.attributes ?? {},
    },
    contact: contact
      ? { tags: contact.tags ?? [], attributes: contact.attributes ?? {}, language: contact.language }
      : null,
    channel: conversation.channel,
    isCall: inspection.isCall,
  }
}

/** Whether a rule applies to the conversation: its channels, queues, intents, then its condition. */
export async function ruleApplies(scope: RuleScope, inspection: Inspection): Promise<ScopeDecision> {
  const { conversation } = inspection
  if (scope.channels?.length && !scope.channels.includes(conversation.channel))
    return { applies: false, reason: `channel ${conversation.channel} is not one of the rule's channels` }
  if (scope.queueIds?.length && (!conversation.queueId || !scope.queueIds.includes(conversation.queueId)))
    return { applies: false, reason: "the conversation is not in one of the rule's queues" }
  if (scope.intents?.length && (!conversation.intent || !scope.intents.includes(conversation.intent)))
    return { applies: false, reason: "the conversation's intent is not one of the rule's intents" }
  if (!scope.when) return { applies: true }
  try {
    const value = await evaluateExpression(scope.when, scopeData(inspection))
    return value === true ? { applies: true } : { applies: false, reason: `"${scope.when}" is not true here` }
  } catch (error) {
    return { applies: false, reason: `"${scope.when}" could not be evaluated`, error: (error as Error).message }
  }
}
