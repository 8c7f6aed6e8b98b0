export { createSuggestionsService } from './suggestions-service.js'
export type { SuggestionsService } from './suggestions-service.js'
export { suggestionsRoutes } from './suggestions-routes.js'
