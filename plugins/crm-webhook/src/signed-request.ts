import type { PluginResponse } from '@switchboard/plugin-sdk/runtime'
import type { CrmContext } from './context.js'
import { fetchFailure } from './endpoint-error.js'

/** The request types of the protocol (README, "Protocol"). */
export type RequestType = 'ping' | 'contact.lookup' | 'interaction.record'

/**
 * Builds a signed request: the JSON body gets a fresh `requestId` and the `timestamp` (Unix
 * seconds), and `X-Switchboard-Signature` is `sha256=` + the hex HMAC-SHA256 of
 * `"<timestamp>.<body>"` with the shared secret, the scheme Stripe and GitHub webhooks use.
 */
export async function signRequest(
  ctx: CrmContext,
  type: RequestType,
  fields: Record<string, unknown>,
  now = Date.now(),
): Promise<{ body: string; headers: Record<string, string> }> {
  const timestamp = Math.floor(now / 1000)
  const requestId = await ctx.crypto.randomId()
  const body = JSON.stringify({ type, ...fields, requestId, timestamp })
  const signature = await ctx.crypto.hmacSha256(ctx.secrets.signingSecret, `${timestamp}.${body}`, 'hex')
  return {
    body,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-switchboard-timestamp': String(timestamp),
      'x-switchboard-signature': `sha256=${signature}`,
      'x-switchboard-request-id': requestId,
    },
  }
}

/** POSTs a signed request to the configured endpoint; network failures become coded errors. */
export async function postSigned(
  ctx: CrmContext,
  type: RequestType,
  fields: Record<string, unknown>,
): Promise<PluginResponse> {
  const { body, headers } = await signRequest(ctx, type, fields)
  try {
    return await ctx.fetch(ctx.config.endpoint, { method: 'POST', headers, body, timeoutMs: ctx.config.timeoutMs })
  } catch (error) {
    throw fetchFailure(error, ctx.config.timeoutMs)
  }
}
