// No imports: the widget (browser code, core/widget) imports this type too, so both sides agree.

/** A stored message as the widget shows it. */
export interface MessageFrame {
  type: 'message'
  conversationId: string
  seq: number
  id: string
  direction: 'inbound' | 'outbound'
  kind: string
  text: string
  by: 'visitor' | 'bot' | 'agent'
  quickReplies: string[]
  media: { url: string; mimeType?: string; name?: string } | null
  at: string
  /** inbound: the channel message id (`<visitor>:<widget id>`), so the widget can match its own */
  ref: string | null
}
