export { createAiServices } from './ai-services.js'
export type { AiProvider, AiServices, DraftReplyInput } from './ai-services.js'
