// Callbacks: promises to get back to a customer, made by flows, queue offers, chats and agents; due
// callbacks join their queue as conversations so the ACD assigns them. See docs/callbacks.md.
export {
  CALLBACK_DUE_JOB,
  CALLBACK_WINDOW_END_JOB,
  createCallbacksService,
  type CallbacksDeps,
  type CallbacksService,
  type CallbackUser,
  type FlowCallbackRequest,
} from './callbacks-service.js'
export { callbacksRoutes } from './callbacks-routes.js'
export {
  CALLBACK_MODES,
  CALLBACK_OUTCOMES,
  CALLBACK_STATUSES,
  type CallbackMode,
  type CallbackOutcome,
  type CallbackStatus,
  type CallbackView,
} from './callback-dto.js'
export { maskPhone } from './callback-timing.js'
