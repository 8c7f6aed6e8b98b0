export { createNluService, NLU_CHANGED_TOPIC } from './nlu-service.js'
export type { NluService } from './nlu-service.js'
export { nluRoutes } from './nlu-routes.js'
export { trainIntentModel, DEFAULT_INTENT_THRESHOLD } from './intent-model.js'
export type { IntentModel, TrainingIntent } from './intent-model.js'
export type { ClassifyOptions, IntentClassification, IntentClassifier, IntentScore } from './intent-classifier.js'
export { parseIntentExamplesFile } from './nlu-import-file.js'
export type {
  CreateIntentInput,
  IntentExampleLine,
  IntentImportResult,
  IntentView,
  UpdateIntentInput,
} from './nlu-dto.js'
