// Quality inspection: QA rules, per-conversation results, supervisor reviews and scorecards.
export { createQaService, evaluateJobKey, QA_EVALUATE_JOB } from './qa-service.js'
export { startLiveSentiment, sentimentOfMessages, LEXICON_READER } from './live-sentiment.js'
export type { QaService } from './qa-service.js'
export { qaRoutes } from './qa-routes.js'
export { QA_RULES_CHANGED_TOPIC } from './qa-rules.js'
export { DEFAULT_QA_RULES, loadDefaultQaRules } from './qa-default-rules.js'
export type { QaLlm } from './resolution-rules.js'
export { QA_CATEGORIES, QA_KINDS } from './qa-dto.js'
export type {
  CategoryScores,
  CreateRuleInput,
  QaCategory,
  QaHit,
  QaKind,
  ResultView,
  ReviewView,
  RuleView,
  Scorecard,
  Scorecards,
} from './qa-dto.js'
