export {
  createSurveysService,
  surveyIdFor,
  LEGACY_SURVEY_DUE_JOB,
  SURVEY_CATCH_UP_JOB,
  SURVEY_EXPIRE_JOB,
  SURVEY_FOLLOW_UP_JOB,
  SURVEY_SEND_JOB,
} from './surveys-service.js'
export type { SurveysService, SurveySource } from './surveys-service.js'
export { surveysRoutes } from './surveys-routes.js'
export { parseSurveyAnswer } from './survey-answer.js'
export { DEFAULT_SURVEY_SETTINGS } from './survey-settings.js'
export type { SurveyKind, SurveySettings } from './survey-settings.js'
export type { SurveySummary, SurveyView } from './surveys-dto.js'
export type { FollowUpTickets, SurveyConversations, TicketChangeSnapshot, TicketSnapshot } from './survey-ports.js'
