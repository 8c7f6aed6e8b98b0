import { readXml } from './xml-reader.js'

/** The fields of one WeChat push by element name (`MsgType`, `Content`…), or why it is unreadable. */
export type PushFieldsResult = { ok: true; fields: Record<string, string> } | { ok: false; error: string }

/**
 * Reads a pushed `<xml>…</xml>` document into its top-level fields, WeChat's flat shape. Nested
 * elements (e.g. `SendPicsInfo`) keep only their own text; a repeated field keeps its first value.
 *
 * @example
 * ```ts
 * const read = readPushFields('<xml><MsgType><![CDATA[text]]></MsgType></xml>')
 * if (read.ok) read.fields.MsgType // 'text'
 * ```
 */
export function readPushFields(body: string): PushFieldsResult {
  const read = readXml(body)
  if (!read.ok) return { ok: false, error: `malformed XML: ${read.error}` }
  if (read.root.name !== 'xml') return { ok: false, error: `the root element is <${read.root.name}>, not <xml>` }
  const fields: Record<string, string> = Object.create(null) as Record<string, string>
  for (const child of read.root.children) if (!(child.name in fields)) fields[child.name] = child.text
  return { ok: true, fields }
}
