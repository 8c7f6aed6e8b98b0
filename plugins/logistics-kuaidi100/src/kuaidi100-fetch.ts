import { pluginError } from '@switchboard/plugin-sdk/runtime'
import type { Kuaidi100Context } from './context.js'
import { fetchFailed, kuaidi100ErrorCodes } from './errors.js'

/**
 * POSTs a form to Kuaidi100 within the configured timeout and returns the parsed JSON body.
 * Kuaidi100 answers its own errors with HTTP 200 and `{ result: false, returnCode }`, which the
 * caller reads; what fails at the HTTP level (5xx from its gateway, timeouts) throws here.
 *
 * @example
 * ```ts
 * const body = await postForm(ctx, `${ctx.config.apiBase}/poll/query.do`, 'customer=…&sign=…&param=…')
 * ```
 */
export async function postForm(ctx: Kuaidi100Context, url: string, body: string): Promise<unknown> {
  let status: number
  let text: string
  try {
    const response = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      timeoutMs: ctx.config.timeoutMs,
    })
    status = response.status
    text = await response.text()
  } catch (error) {
    throw fetchFailed(error)
  }
  if (status >= 500 || status === 408 || status === 429)
    throw pluginError(kuaidi100ErrorCodes.unavailable, `Kuaidi100 answered HTTP ${status}; try again later.`, {
      retryable: true,
      details: { status },
    })
  try {
    if (status >= 200 && status < 300) return JSON.parse(text) as unknown
  } catch {
    /* reported below */
  }
  throw pluginError(kuaidi100ErrorCodes.badResponse, `Kuaidi100 answered HTTP ${status} without the expected JSON`, {
    details: { status, body: text.slice(0, 200) },
  })
}
