const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const VALUES = new Map([...ALPHABET].map((char, value) => [char, value]))

/**
 * Decodes standard base64 (whitespace ignored, padding optional) without `atob` or `Buffer`,
 * which the sandbox does not have. Returns null when the text is not base64.
 *
 * @example
 * ```ts
 * decodeBase64('5L2g5aW9') // Uint8Array [228, 189, 160, 229, 165, 189]
 * ```
 */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/[\s]+/g, '').replace(/={1,2}$/, '')
  if (clean.length % 4 === 1) return null
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let buffer = 0
  let bits = 0
  let out = 0
  for (const char of clean) {
    const value = VALUES.get(char)
    if (value === undefined) return null
    buffer = ((buffer << 6) | value) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[out++] = (buffer >> bits) & 0xff
    }
  }
  return bytes
}
