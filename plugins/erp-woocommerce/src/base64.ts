const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** The UTF-8 bytes of a string (the sandbox has no TextEncoder). */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = []
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (code < 0x80) bytes.push(code)
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f))
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
    else
      bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
  }
  return bytes
}

/**
 * Standard base64 (with padding) of a string's UTF-8 bytes; the sandbox has no btoa or Buffer.
 *
 * @example
 * ```ts
 * base64Utf8('ck_1:cs_2') // "Y2tfMTpjc18y"
 * ```
 */
export function base64Utf8(text: string): string {
  const bytes = utf8Bytes(text)
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]]
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0)
    out += alphabet[(triple >> 18) & 63]! + alphabet[(triple >> 12) & 63]!
    out += b === undefined ? '=' : alphabet[(triple >> 6) & 63]!
    out += c === undefined ? '=' : alphabet[triple & 63]!
  }
  return out
}
