import { isPluginError } from '@switchboard/plugin-sdk/runtime'
import { accessToken } from './access-token.js'
import type { WechatContext } from './wechat-context.js'

/**
 * Checks the saved credentials the way sending needs them: WeChat must issue an access token
 * for the AppID and AppSecret to this server (its IP in the account's allowlist).
 *
 * @example
 * ```ts
 * await checkHealth(ctx) // { ok: false, message: "this server's IP address is not in the account's IP allowlist …" }
 * ```
 */
export async function checkHealth(ctx: WechatContext): Promise<{ ok: boolean; message?: string }> {
  try {
    await accessToken(ctx)
  } catch (error) {
    if (isPluginError(error)) return { ok: false, message: error.message }
    throw error
  }
  const mode = ctx.secrets.encodingAesKey ? 'plaintext, compatible and safe mode' : 'plaintext and compatible mode'
  return { ok: true, message: `WeChat issued an access token for ${ctx.config.appId}; callbacks accepted in ${mode}` }
}
