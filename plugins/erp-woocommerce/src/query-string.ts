/**
 * Percent-encodes a string the way RFC 3986 (and so OAuth 1.0a and PHP's rawurlencode) does:
 * everything but A–Z a–z 0–9 - . _ ~ is encoded, as UTF-8.
 *
 * @example
 * ```ts
 * encodeRfc3986("it's 张") // "it%27s%20%E5%BC%A0"
 * ```
 */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * Builds a query string (without the leading "?") from parameters, keeping their order; the
 * sandbox has no URLSearchParams.
 *
 * @example
 * ```ts
 * toQueryString({ search: 'li@example.com', per_page: '10' }) // "search=li%40example.com&per_page=10"
 * ```
 */
export function toQueryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
    .join('&')
}
