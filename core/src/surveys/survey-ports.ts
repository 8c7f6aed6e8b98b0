import type { Actor } from '../audit/index.js'
import type { FlowOutput } from '../flows/index.js'
import type { InboundInterceptor } from '../conversations/index.js'

/** What surveys need of the conversations module: to send on the customer's channel, and to see answers first. */
export interface SurveyConversations {
  deliverFlowOutputs(conversationId: string, outputs: FlowOutput[]): Promise<void>
  interceptInbound(interceptor: InboundInterceptor): void
}

/** A ticket as a change listener sees it (the fields surveys and recurring issues read). */
export interface TicketSnapshot {
  id: number
  status: string
  conversationId: string | null
  contactId: string | null
  category: string | null
}

/** What the tickets module offers the modules that follow up on tickets (ADR 0005). */
export interface FollowUpTickets {
  reopen(actor: Actor, id: number, reason: string): Promise<unknown>
  create(
    actor: Actor,
    input: {
      subject: string
      description?: string
      priority: 'low' | 'normal' | 'high' | 'urgent'
      conversationId?: string | null
      contactId?: string | null
      teamId?: string | null
      source: 'survey'
    },
    /** `history`: fields added to the ticket's `created` history entry, in the same transaction */
    options?: { history?: Record<string, unknown> },
  ): Promise<{ id: number }>
  addEvent(
    ticketId: number,
    event: { kind: string; actorName: string; actorId?: string | null; data?: Record<string, unknown> },
  ): Promise<unknown>
  /** awaited after every committed change; `before` is the ticket as it was (null when created) */
  onChange(listener: (change: TicketChangeSnapshot) => Promise<void>): unknown
}

export interface TicketChangeSnapshot {
  kind: string
  ticket: TicketSnapshot
  before: TicketSnapshot | null
}
