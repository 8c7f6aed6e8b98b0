export { createConversationsService } from './conversations-service.js'
export type { ChannelSender, ConversationsService } from './conversations-service.js'
export { conversationsRoutes } from './conversations-routes.js'
