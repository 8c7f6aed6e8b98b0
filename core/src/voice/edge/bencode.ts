/**
 * Bencode, the encoding of rtpengine's ng control protocol: integers `i42e`, byte strings
 * `4:spam`, lists `l…e` and dictionaries `d…e` (keys sorted). Strings decode as UTF-8 text.
 */
export type BencodeValue = string | number | BencodeValue[] | { [key: string]: BencodeValue }
/** What bencode() takes: booleans are sent as "yes"/"no", undefined dictionary entries are left out. */
export type BencodeInput = string | number | boolean | undefined | BencodeInput[] | { [key: string]: BencodeInput }

export function bencode(value: BencodeInput): Buffer {
  return Buffer.concat(encodeParts(value))
}

function encodeParts(value: BencodeInput): Buffer[] {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`bencode: ${value} is not an integer`)
    return [Buffer.from(`i${value}e`)]
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return [Buffer.from(`${bytes.length}:`), bytes]
  }
  if (typeof value === 'boolean') return encodeParts(value ? 'yes' : 'no')
  if (Array.isArray(value)) return [Buffer.from('l'), ...value.flatMap(encodeParts), Buffer.from('e')]
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
    return [Buffer.from('d'), ...keys.flatMap((k) => [...encodeParts(k), ...encodeParts(value[k])]), Buffer.from('e')]
  }
  throw new Error(`bencode: cannot encode ${String(value)}`)
}

export function bdecode(data: Buffer): BencodeValue {
  const [value, end] = decodeAt(data, 0)
  if (end !== data.length) throw new Error(`bencode: ${data.length - end} trailing bytes`)
  return value
}

function decodeAt(data: Buffer, at: number): [BencodeValue, number] {
  const marker = data[at]
  if (marker === undefined) throw new Error('bencode: unexpected end')
  if (marker === 0x69 /* i */) {
    const end = data.indexOf(0x65 /* e */, at)
    if (end < 0) throw new Error('bencode: unterminated integer')
    const text = data.toString('ascii', at + 1, end)
    if (!/^-?\d+$/.test(text)) throw new Error(`bencode: bad integer ${text}`)
    return [Number(text), end + 1]
  }
  if (marker === 0x6c /* l */) {
    const list: BencodeValue[] = []
    let pos = at + 1
    while (data[pos] !== 0x65) {
      const [item, next] = decodeAt(data, pos)
      list.push(item)
      pos = next
    }
    return [list, pos + 1]
  }
  if (marker === 0x64 /* d */) {
    const dict: Record<string, BencodeValue> = {}
    let pos = at + 1
    while (data[pos] !== 0x65) {
      const [key, afterKey] = decodeAt(data, pos)
      if (typeof key !== 'string') throw new Error('bencode: dictionary key is not a string')
      const [item, next] = decodeAt(data, afterKey)
      dict[key] = item
      pos = next
    }
    return [dict, pos + 1]
  }
  const colon = data.indexOf(0x3a /* : */, at)
  const lengthText = colon < 0 ? '' : data.toString('ascii', at, colon)
  if (!/^\d+$/.test(lengthText)) throw new Error(`bencode: unexpected byte ${marker} at ${at}`)
  const start = colon + 1
  const end = start + Number(lengthText)
  if (end > data.length) throw new Error('bencode: string runs past the end')
  return [data.toString('utf8', start, end), end]
}
