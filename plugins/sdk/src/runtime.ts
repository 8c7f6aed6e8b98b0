/**
 * `@switchboard/plugin-sdk/runtime`: what handler code running in the sandbox imports. It pulls
 * in no schema library, so a plugin's bundle stays small.
 */
export { isPluginError, pluginError } from './errors.js'
export type { PluginErrorData } from './errors.js'
export { defineHandlers } from './handlers.js'
export { canonicalLanguageTag, isLanguageTag } from './language-tag.js'
export type {
  ActionInputOf,
  ActionOutputOf,
  NodeInput,
  NodeOutput,
  PluginContextOf,
  PluginHandlers,
} from './handlers.js'
export type {
  PluginContext,
  PluginFetchInit,
  PluginResponse,
  SocketAnswer,
  SocketEvent,
  WebhookRequest,
  WebhookResponse,
} from './context.js'
export type { InboundMessage, OutboundMessage } from './capabilities/channel.js'
export type { Order } from './capabilities/erp-orders.js'
export type { Tracking } from './capabilities/logistics-tracking.js'
export type { CrmContact } from './capabilities/crm-contacts.js'
export type { ChatMessage } from './capabilities/llm.js'
