// Realtime: authenticated WebSocket subscriptions (nes) for the console, fed by the event bus. See docs/api.md.
export { registerRealtime, realtimePlugin, type RealtimeDeps } from './realtime-plugin.js'
export {
  realtimePaths,
  conversationPath,
  queuePath,
  SOCKET_PATH,
  TICKET_ENDPOINT,
  type RealtimePathTemplate,
} from './realtime-paths.js'
export type {
  AgentCapacityRealtimeEvent,
  AgentLoadRealtimeEvent,
  AgentPresenceRealtimeEvent,
  AgentRealtimeEvent,
  ConversationRealtimeEvent,
  QueueStatsRealtimeEvent,
  TypingRealtimeEvent,
} from './realtime-events.js'
