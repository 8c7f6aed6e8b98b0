/** One element of an XML document: its name, attributes, own character data and child elements. */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  /** the element's own text and CDATA sections, in order, entities decoded (children's text excluded) */
  text: string
  children: XmlElement[]
}

/** The parsed root element, or why the document is not well-formed XML. */
export type XmlReadResult = { ok: true; root: XmlElement } | { ok: false; error: string }

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y
const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
// WeChat's pushes are two levels deep; a deep document is an attack, not a message
const MAX_DEPTH = 16

interface Cursor {
  source: string
  at: number
}

function fail(cursor: Cursor, message: string): never {
  throw Object.assign(new Error(`${message} (at character ${cursor.at})`), { xmlSyntax: true })
}

function startsWith(cursor: Cursor, text: string): boolean {
  return cursor.source.startsWith(text, cursor.at)
}

function skipPast(cursor: Cursor, terminator: string, what: string): void {
  const end = cursor.source.indexOf(terminator, cursor.at)
  if (end === -1) fail(cursor, `${what} is not closed with ${terminator}`)
  cursor.at = end + terminator.length
}

function skipWhitespace(cursor: Cursor): void {
  while (cursor.at < cursor.source.length && ' \t\r\n'.includes(cursor.source[cursor.at]!)) cursor.at++
}

/** Whitespace, comments and processing instructions (the XML declaration) outside the root. */
function skipProlog(cursor: Cursor): void {
  for (;;) {
    skipWhitespace(cursor)
    if (startsWith(cursor, '<?')) skipPast(cursor, '?>', 'a processing instruction')
    else if (startsWith(cursor, '<!--')) skipPast(cursor, '-->', 'a comment')
    else if (startsWith(cursor, '<!')) fail(cursor, 'DOCTYPE and other declarations are not accepted')
    else return
  }
}

function readName(cursor: Cursor): string {
  NAME.lastIndex = cursor.at
  const match = NAME.exec(cursor.source)
  if (!match) fail(cursor, 'expected an element or attribute name')
  cursor.at += match[0].length
  return match[0]
}

function decodeEntities(cursor: Cursor, raw: string): string {
  if (!raw.includes('&')) return raw
  let out = ''
  let from = 0
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    const semicolon = raw.indexOf(';', amp)
    if (semicolon === -1 || semicolon - amp > 10) fail(cursor, `"&" must start an entity such as &amp;`)
    const reference = raw.slice(amp + 1, semicolon)
    out += raw.slice(from, amp) + decodeReference(cursor, reference)
    from = semicolon + 1
  }
  return out + raw.slice(from)
}

function decodeReference(cursor: Cursor, reference: string): string {
  const named = PREDEFINED_ENTITIES[reference]
  if (named !== undefined) return named
  const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(reference)
  if (!numeric) fail(cursor, `unknown entity &${reference};`)
  const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10)
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
    fail(cursor, `&${reference}; is not a character`)
  return String.fromCodePoint(code)
}

function readAttributes(cursor: Cursor): { attributes: Record<string, string>; empty: boolean } {
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>
  for (;;) {
    skipWhitespace(cursor)
    if (startsWith(cursor, '/>') || startsWith(cursor, '>')) {
      const empty = startsWith(cursor, '/>')
      cursor.at += empty ? 2 : 1
      return { attributes, empty }
    }
    if (cursor.at >= cursor.source.length) fail(cursor, 'a start tag is not closed')
    const name = readName(cursor)
    skipWhitespace(cursor)
    if (!startsWith(cursor, '=')) fail(cursor, `attribute ${name} has no value`)
    cursor.at++
    skipWhitespace(cursor)
    const quote = cursor.source[cursor.at]
    if (quote !== '"' && quote !== "'") fail(cursor, `the value of attribute ${name} is not quoted`)
    const end = cursor.source.indexOf(quote, cursor.at + 1)
    if (end === -1) fail(cursor, `the value of attribute ${name} is not closed`)
    const raw = cursor.source.slice(cursor.at + 1, end)
    if (raw.includes('<')) fail(cursor, `the value of attribute ${name} contains "<"`)
    if (name in attributes) fail(cursor, `attribute ${name} appears twice`)
    attributes[name] = decodeEntities(cursor, raw)
    cursor.at = end + 1
  }
}

function readElement(cursor: Cursor, depth: number): XmlElement {
  if (depth > MAX_DEPTH) fail(cursor, `elements are nested deeper than ${MAX_DEPTH} levels`)
  cursor.at++ // the "<" the caller saw
  const name = readName(cursor)
  const { attributes, empty } = readAttributes(cursor)
  const element: XmlElement = { name, attributes, text: '', children: [] }
  if (empty) return element
  for (;;) {
    if (cursor.at >= cursor.source.length) fail(cursor, `<${name}> is not closed`)
    if (startsWith(cursor, '</')) {
      cursor.at += 2
      const closing = readName(cursor)
      skipWhitespace(cursor)
      if (!startsWith(cursor, '>')) fail(cursor, `the end tag </${closing}> is not closed`)
      if (closing !== name) fail(cursor, `</${closing}> closes <${name}>`)
      cursor.at++
      return element
    }
    if (startsWith(cursor, '<![CDATA[')) {
      const end = cursor.source.indexOf(']]>', cursor.at + 9)
      if (end === -1) fail(cursor, 'a CDATA section is not closed with ]]>')
      element.text += cursor.source.slice(cursor.at + 9, end)
      cursor.at = end + 3
    } else if (startsWith(cursor, '<!--')) skipPast(cursor, '-->', 'a comment')
    else if (startsWith(cursor, '<?')) skipPast(cursor, '?>', 'a processing instruction')
    else if (startsWith(cursor, '<!')) fail(cursor, 'declarations are not accepted inside elements')
    else if (startsWith(cursor, '<')) element.children.push(readElement(cursor, depth + 1))
    else {
      const next = cursor.source.indexOf('<', cursor.at)
      const end = next === -1 ? cursor.source.length : next
      element.text += decodeEntities(cursor, cursor.source.slice(cursor.at, end))
      cursor.at = end
    }
  }
}

/**
 * Reads a small XML document (WeChat's pushes) without any library: elements, attributes,
 * CDATA sections, the five predefined and numeric entities, comments and the XML declaration.
 * DOCTYPEs (and so external entities) are refused, as is anything not well-formed.
 *
 * @example
 * ```ts
 * const result = readXml('<xml><Content><![CDATA[你好 <3]]></Content></xml>')
 * if (result.ok) result.root.children[0]?.text // '你好 <3'
 * ```
 */
export function readXml(source: string): XmlReadResult {
  const cursor: Cursor = { source, at: source.startsWith('\uFEFF') ? 1 : 0 }
  try {
    skipProlog(cursor)
    if (!startsWith(cursor, '<')) fail(cursor, 'the document has no root element')
    const root = readElement(cursor, 0)
    skipProlog(cursor)
    if (cursor.at < source.length) fail(cursor, 'there is content after the root element')
    return { ok: true, root }
  } catch (error) {
    if ((error as { xmlSyntax?: boolean }).xmlSyntax) return { ok: false, error: (error as Error).message }
    throw error
  }
}
