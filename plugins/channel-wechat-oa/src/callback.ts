import type { WebhookRequest, WebhookResponse } from '@switchboard/plugin-sdk/runtime'
import { receivePush } from './receive-push.js'
import { verifyServerUrl } from './verify-server-url.js'
import type { WechatContext } from './wechat-context.js'

/**
 * The server URL (服务器地址) an admin enters in the WeChat console: WeChat verifies it with a
 * GET and pushes messages and events to it with POSTs.
 *
 * @example
 * ```ts
 * webhooks: { callback: handleCallback }
 * ```
 */
export async function handleCallback(request: WebhookRequest, ctx: WechatContext): Promise<WebhookResponse> {
  return request.method === 'GET' ? verifyServerUrl(request, ctx) : receivePush(request, ctx)
}
