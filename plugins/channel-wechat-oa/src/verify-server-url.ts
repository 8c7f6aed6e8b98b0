import type { WebhookRequest, WebhookResponse } from '@switchboard/plugin-sdk/runtime'
import { plainText } from './plain-text.js'
import { hasValidUrlSignature } from './signature.js'
import type { WechatContext } from './wechat-context.js'

/**
 * Answers WeChat's server URL check (the GET it sends when an admin saves 服务器配置): echoes
 * `echostr` when the signature over the token, timestamp and nonce is right, 403 otherwise.
 *
 * @example
 * ```ts
 * await verifyServerUrl({ method: 'GET', path: '', headers: {}, body: '', query }, ctx) // { status: 200, body: echostr }
 * ```
 */
export async function verifyServerUrl(request: WebhookRequest, ctx: WechatContext): Promise<WebhookResponse> {
  const { echostr } = request.query
  if (!echostr)
    return plainText(400, 'missing echostr: WeChat verifies this URL with signature, timestamp, nonce and echostr')
  if (!(await hasValidUrlSignature(ctx, request.query))) {
    ctx.log.warn('server URL verification refused: the signature does not match the token', {
      hint: 'the Token in the WeChat console must equal the plugin secret "token"',
    })
    return plainText(403, 'invalid signature')
  }
  ctx.log.info('server URL verified by WeChat')
  return plainText(200, echostr)
}
