/**
 * Decodes UTF-8 bytes to a string without `TextDecoder`, which the sandbox does not have.
 * Malformed sequences become U+FFFD, as TextDecoder does.
 *
 * @example
 * ```ts
 * decodeUtf8(new Uint8Array([228, 189, 160])) // '你'
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const units: number[] = []
  let out = ''
  for (let i = 0; i < bytes.length;) {
    const first = bytes[i]!
    const length = first < 0x80 ? 1 : first >= 0xc2 && first < 0xe0 ? 2 : first >= 0xe0 && first < 0xf0 ? 3 : 4
    let code = length === 1 ? first : length === 2 ? first & 0x1f : length === 3 ? first & 0x0f : first & 0x07
    let valid = length === 1 || (first >= 0xc2 && first <= 0xf4 && i + length <= bytes.length)
    for (let k = 1; valid && k < length; k++) {
      const next = bytes[i + k]!
      if ((next & 0xc0) !== 0x80) valid = false
      else code = (code << 6) | (next & 0x3f)
    }
    const minimum = length === 3 ? 0x800 : length === 4 ? 0x10000 : 0
    if (valid && (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))) valid = false
    if (valid) {
      if (code > 0xffff) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff))
      else units.push(code)
      i += length
    } else {
      units.push(0xfffd)
      i += 1
    }
    if (units.length > 4096) out += String.fromCharCode(...units.splice(0))
  }
  return out + String.fromCharCode(...units)
}
