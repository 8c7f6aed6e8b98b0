import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { handleCallback } from './callback.js'
import { checkHealth } from './health-check.js'
import { sendMessage } from './send-message.js'

/**
 * The WeChat Official Account channel: the `callback` route takes WeChat's verification and
 * pushes, `send` answers through the customer-service API, `healthCheck` fetches an access token.
 */
export default defineHandlers<typeof definition>({
  actions: {},
  webhooks: { callback: handleCallback },
  send: sendMessage,
  healthCheck: checkHealth,
})
