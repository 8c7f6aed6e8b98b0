import type { CrmContext } from './context.js'
import { endpointError } from './endpoint-error.js'
import { postSigned } from './signed-request.js'

/** Sends a signed `ping`: the endpoint answers, and accepts the signature, with any 2xx. */
export async function healthCheck(ctx: CrmContext): Promise<{ ok: boolean; message?: string }> {
  try {
    const response = await postSigned(ctx, 'ping', {})
    const body = await response.text()
    if (!response.ok) return { ok: false, message: endpointError(response.status, body).message }
    return { ok: true, message: `${ctx.config.endpoint} answered the signed ping` }
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}
