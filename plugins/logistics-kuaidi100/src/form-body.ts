/**
 * Encodes fields as application/x-www-form-urlencoded (UTF-8, spaces as %20, which every form
 * parser accepts); the sandbox has no URLSearchParams.
 *
 * @example
 * ```ts
 * toFormBody({ customer: 'C1', param: '{"com":"shunfeng"}' }) // "customer=C1&param=%7B%22com%22%3A%22shunfeng%22%7D"
 * ```
 */
export function toFormBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
}
