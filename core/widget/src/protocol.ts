import type { MessageFrame } from '../../src/plugins/sockets/message-frame.js'

/** A stored message as the host pushes it (see docs/channels.md, "Socket protocol"). */
export type ChatMessage = MessageFrame

/** Frames from the host. */
export type ServerFrame =
  | ChatMessage
  | { type: 'welcome'; visitorId: string; settings: Settings }
  | { type: 'synced'; conversationId: string | null; status: string | null; rated?: boolean; lastSeq: number }
  | { type: 'ack'; id: string }
  | { type: 'error'; id?: string; reason: string }
  | { type: 'typing'; from: string }
  | { type: 'status'; conversationId: string; status: string }
  | { type: 'rated'; conversationId: string; stars: number }

/** What the channel's configuration says about the look of the widget. */
export interface Settings {
  title?: string
  welcome?: string
  color?: string
  offlineMessage?: string
}

/** A message the visitor wrote that the host has not acknowledged yet. */
export interface Pending {
  id: string
  text?: string
  media?: { url: string; mimeType: string; name?: string }
  form?: Record<string, string>
  failed?: string
}
