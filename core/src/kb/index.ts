export { createKbService, KB_CHANGED_TOPIC } from './kb-service.js'
export type { KbService } from './kb-service.js'
export { kbRoutes } from './kb-routes.js'
export { buildKbSearchIndex, DEFAULT_KB_THRESHOLD, DEFAULT_KB_LIMIT } from './kb-search-index.js'
export type { KbSearchIndex, SearchableEntry } from './kb-search-index.js'
export type { KbHit, KbSearchOptions, KnowledgeBase } from './knowledge-base.js'
export { parseKbEntriesFile } from './kb-import-file.js'
export type {
  CreateKbEntryInput,
  KbEntryLine,
  KbEntryView,
  KbImportResult,
  ParsedKbEntryLine,
  UpdateKbEntryInput,
} from './kb-dto.js'
