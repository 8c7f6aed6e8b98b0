import type { CrmContext, Interaction } from './context.js'
import { recordInteraction } from './record-interaction.js'

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown, max: number) => (typeof v === 'string' && v !== '' && v.length <= max ? v : undefined)

/**
 * Reads a `conversation.resolved` event into an interaction. Events are not validated by the
 * host the way action inputs are, so this checks each field and keeps only well-formed ones;
 * without a conversation id or any way to identify the customer there is nothing to record.
 */
export function interactionFromEvent(data: unknown, now = Date.now()): Interaction | null {
  if (!isObject(data)) return null
  const conversationId = str(data.conversationId, 100)
  const contactData = isObject(data.contact) ? data.contact : {}
  const contact: Interaction['contact'] = {}
  const phone = str(contactData.phone, 32)
  const email = str(contactData.email, 200)
  const externalId = str(contactData.externalId, 100)
  if (phone) contact.phone = phone
  if (email) contact.email = email
  if (externalId) contact.externalId = externalId
  if (!conversationId || Object.keys(contact).length === 0) return null
  const isoTime = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : undefined)
  const interaction: Interaction = {
    conversationId,
    contact,
    resolvedAt: isoTime(data.resolvedAt) ?? new Date(now).toISOString(),
    tags: Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === 'string').slice(0, 50) : [],
  }
  const channel = str(data.channel, 50)
  const startedAt = isoTime(data.startedAt)
  const summary = str(data.summary, 4000)
  const agent = isObject(data.agent) ? data.agent : undefined
  if (channel) interaction.channel = channel
  if (startedAt) interaction.startedAt = startedAt
  if (summary) interaction.summary = summary
  if (agent && str(agent.id, 100)) interaction.agent = { id: agent.id as string, name: str(agent.name, 200) }
  return interaction
}

/** Handles `conversation.resolved`: records the interaction unless the admin turned that off. */
export async function onConversationResolved(data: unknown, ctx: CrmContext): Promise<void> {
  if (!ctx.config.recordInteractions) return
  const interaction = interactionFromEvent(data)
  if (!interaction) {
    ctx.log.warn('conversation.resolved: no conversation id or customer identifier; nothing recorded')
    return
  }
  const { recorded } = await recordInteraction(interaction, ctx)
  ctx.log.info('interaction sent to the CRM', { conversationId: interaction.conversationId, recorded })
}
