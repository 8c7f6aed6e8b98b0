type Schema = Record<string, unknown>

interface Translation {
  title?: string
  description?: string
  enumNames?: Record<string, string>
}

/**
 * A property name as a label, for schemas that give none: "maxAttempts" → "Max attempts",
 * "no-match" → "No match", "callbackURL" → "Callback URL", "order_id" → "Order id".
 */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w, i) => (/^[A-Z0-9]+$/.test(w) && w.length > 1 ? w : i === 0 ? w : w.toLowerCase()))
  if (!words.length) return name
  const first = words[0]!
  words[0] = first.charAt(0).toUpperCase() + first.slice(1)
  return words.join(' ')
}

/**
 * The config schema as the form shows it in `locale`. Node types (built-in and plugins') label
 * their fields with JSON Schema's `title` and `description` in English, `x-enumNames` for the
 * choices of an enum, and other languages under `x-i18n[locale]` (see docs/flow-designer.md).
 * Each field gets its title and description in `locale` (else the English; a field without a
 * title gets its humanized name) and `x-enumNames` in `locale`. The input is not changed.
 */
export function localizeSchema(schema: Schema, locale: string): Schema {
  const field = (s: Schema, name: string | null): Schema => {
    const out: Schema = { ...s }
    const t = (s['x-i18n'] as Record<string, Translation> | undefined)?.[locale]
    const title = t?.title ?? (s.title as string | undefined) ?? (name ? humanize(name) : undefined)
    if (title !== undefined) out.title = title
    const description = t?.description ?? (s.description as string | undefined)
    if (description !== undefined) out.description = description
    const names = s['x-enumNames'] as Record<string, string> | undefined
    if (names || t?.enumNames) out['x-enumNames'] = { ...names, ...t?.enumNames }
    const props = s.properties as Record<string, Schema> | undefined
    if (props) out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, field(v, k)]))
    const items = s.items as Schema | undefined
    // the items of a list are not labelled one by one (rjsf numbers them); their fields are
    if (items && typeof items === 'object' && !Array.isArray(items)) out.items = field(items, null)
    return out
  }
  return field(schema, null)
}
