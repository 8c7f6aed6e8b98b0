import type { WebhookResponse } from '@switchboard/plugin-sdk/runtime'

/**
 * A plain-text answer to WeChat's servers (or whoever called the route), never sniffed as HTML:
 * the verification echo repeats a caller-chosen string.
 *
 * @example
 * ```ts
 * return plainText(200, 'success')
 * ```
 */
export function plainText(status: number, body: string): WebhookResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body,
  }
}
