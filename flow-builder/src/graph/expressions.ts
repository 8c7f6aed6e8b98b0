import type { FlowDocument, FlowNode } from './document'

export interface Suggestion {
  /** what is inserted, e.g. vars.orderNumber */
  insert: string
  /** where it comes from: a variable of the document, a node upstream, or the run's scope */
  source: 'variable' | 'node' | 'scope'
  /** the node that sets it (for source 'node') */
  nodeId?: string
}

/** What an expression sees besides vars (docs/expressions.md). */
export const SCOPE_FIELDS = [
  'contact.id',
  'contact.name',
  'contact.email',
  'contact.phone',
  'contact.address',
  'contact.language',
  'contact.tags',
  'contact.attributes',
  'conversation.id',
  'conversation.channel',
  'conversation.status',
  'conversation.priority',
  'conversation.intent',
  'conversation.tags',
  'conversation.attributes',
  'input.text',
  'input.digits',
  'now',
  'channel',
]

/** The variables a node stores: set-variables assignments and the `variable` setting of the others. */
export function variablesSetBy(node: FlowNode): string[] {
  const c = node.config
  if (node.type === 'set-variables' && Array.isArray(c.assignments))
    return (c.assignments as Array<{ name?: unknown }>).flatMap((a) =>
      typeof a.name === 'string' && a.name ? [a.name] : [],
    )
  const names: string[] = []
  if (typeof c.variable === 'string' && c.variable) names.push(c.variable)
  // plugin-action / http-request also store `<variable>Error` on failure
  if ((node.type === 'plugin-action' || node.type === 'http-request') && typeof c.variable === 'string')
    names.push(`${c.variable}Error`)
  return names
}

/** The nodes from which `nodeId` can be reached (its upstream), nearest first. */
export function upstreamOf(doc: FlowDocument, nodeId: string): FlowNode[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]))
  const seen = new Set<string>([nodeId])
  const order: FlowNode[] = []
  const queue = [nodeId]
  while (queue.length) {
    const id = queue.shift()!
    for (const e of doc.edges)
      if (e.to === id && !seen.has(e.from)) {
        seen.add(e.from)
        const n = byId.get(e.from)
        if (n) order.push(n)
        queue.push(e.from)
      }
  }
  return order
}

/**
 * What an expression field of `nodeId` can use: the document's variables, the variables set
 * upstream (nearest first), the node's own `variable` (its answer, e.g. in ask.rule), then
 * contact.*, conversation.* and the rest of the run's scope. No duplicates.
 */
export function expressionSuggestions(doc: FlowDocument, nodeId: string): Suggestion[] {
  const out: Suggestion[] = []
  const seen = new Set<string>()
  const add = (s: Suggestion) => {
    if (!seen.has(s.insert)) {
      seen.add(s.insert)
      out.push(s)
    }
  }
  for (const name of Object.keys(doc.variables)) add({ insert: `vars.${name}`, source: 'variable' })
  for (const n of upstreamOf(doc, nodeId))
    for (const name of variablesSetBy(n)) add({ insert: `vars.${name}`, source: 'node', nodeId: n.id })
  for (const field of SCOPE_FIELDS) add({ insert: field, source: 'scope' })
  return out
}

/** The word being typed at `caret` (letters, digits, _ . $), for filtering suggestions. */
export function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret
  while (start > 0 && /[\w.$]/.test(text[start - 1]!)) start--
  return { start, word: text.slice(start, caret) }
}

/** Suggestions that continue `word` (empty word: none, the list opens on typing or Ctrl+Space). */
export function filterSuggestions(all: Suggestion[], word: string, limit = 8): Suggestion[] {
  if (!word) return all.slice(0, limit)
  const w = word.toLowerCase()
  const starts = all.filter((s) => s.insert.toLowerCase().startsWith(w) && s.insert.toLowerCase() !== w)
  const contains = all.filter((s) => !s.insert.toLowerCase().startsWith(w) && s.insert.toLowerCase().includes(w))
  return [...starts, ...contains].slice(0, limit)
}

/** Applies a suggestion: replaces the word at the caret; returns the new text and caret. */
export function applySuggestion(text: string, caret: number, insert: string): { text: string; caret: number } {
  const { start } = wordAt(text, caret)
  const next = text.slice(0, start) + insert + text.slice(caret)
  return { text: next, caret: start + insert.length }
}

/**
 * Whether a form field (a config path like `cases.0.when`) holds an expression or a template,
 * by the node type's expressionFields (`cases.*.when`; a localized template also matches `.en`).
 */
export function expressionKindAt(
  fields: ReadonlyArray<{ path: string; kind: 'expression' | 'template' }>,
  path: string,
): 'expression' | 'template' | null {
  const parts = path.split('.').filter(Boolean)
  for (const f of fields) {
    const pattern = f.path.split('.')
    const matches = (len: number) => pattern.every((p, i) => i < len && (p === '*' || p === parts[i]))
    if (parts.length === pattern.length && matches(parts.length)) return f.kind
    if (f.kind === 'template' && parts.length === pattern.length + 1 && matches(pattern.length)) return f.kind
  }
  return null
}
