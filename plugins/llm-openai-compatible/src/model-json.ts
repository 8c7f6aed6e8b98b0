/**
 * Finds the JSON object in a model's reply. Even in JSON mode, models behind compatible APIs
 * wrap it in ```json fences, put a <think> block before it, or add a sentence around it; this
 * takes the first balanced `{…}` that parses. Returns null when there is none.
 *
 * @example
 * ```ts
 * parseModelJson('Sure! ```json\n{"intent":"refund"}\n```') // { intent: 'refund' }
 * ```
 */
export function parseModelJson(text: string): Record<string, unknown> | null {
  const cleaned = text.replace(/<think>[\s\S]*?<\/think>/g, '')
  let from = cleaned.indexOf('{')
  // bounded: each attempt starts after the previous opening brace
  for (let attempts = 0; from !== -1 && attempts < 20; attempts++) {
    const end = matchingBrace(cleaned, from)
    if (end === -1) return null
    try {
      const value: unknown = JSON.parse(cleaned.slice(from, end + 1))
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    } catch {
      /* not JSON after all (e.g. braces in prose): try the next one */
    }
    from = cleaned.indexOf('{', from + 1)
  }
  return null
}

/** The index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) return i
  }
  return -1
}
