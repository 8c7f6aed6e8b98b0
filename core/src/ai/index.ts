export { createAiServices } from './ai-services.js'
export type { AiProvider, AiServices } from './ai-services.js'
