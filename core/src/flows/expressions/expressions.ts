import jsonata from 'jsonata'
import { LRUCache } from 'lru-cache'

/**
 * Expressions are data, not code: JSONata over the run's scope
 * ({ vars, contact, conversation, input, now }). Templates are texts with {{ expression }}
 * placeholders. Compiled expressions are cached. Bindings can replace functions such as
 * $now() so expressions follow the run's clock.
 */
const compiled = new LRUCache<string, Compiled>({ max: 5000 })
const templates = new LRUCache<string, TemplatePart[]>({ max: 5000 })
const TEMPLATE = /\{\{([\s\S]+?)\}\}/g

/**
 * A plain path such as `input.text` or `vars.orderNumber` (most template placeholders and many
 * conditions) is read directly when every step is an own property of a plain object and the value
 * is a string, a finite number or a boolean: what JSONata answers then. Anything else (arrays,
 * objects, a missing value) goes to JSONata, so the answer is always JSONata's.
 */
interface Compiled {
  expr: jsonata.Expression
  path?: readonly string[]
}
type TemplatePart = string | { expression: string }
const PLAIN_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/
const KEYWORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function'])
const DEFER = Symbol('defer to JSONata')

function readPath(scope: unknown, path: readonly string[]): unknown {
  let value = scope
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return DEFER
    value = (value as Record<string, unknown>)[key]
  }
  const plain =
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
  return plain ? value : DEFER
}

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message)
    this.name = 'ExpressionError'
  }
}

function compile(expression: string): Compiled {
  let entry = compiled.get(expression)
  if (!entry) {
    let expr: jsonata.Expression
    try {
      expr = jsonata(expression)
    } catch (error) {
      const e = error as { message?: string; position?: number }
      throw new ExpressionError(
        expression,
        `invalid expression "${expression}": ${e.message ?? error}${e.position !== undefined ? ` (at ${e.position})` : ''}`,
      )
    }
    const path = PLAIN_PATH.test(expression) ? expression.split('.') : undefined
    entry = { expr, ...(path && !path.some((p) => KEYWORDS.has(p)) ? { path } : {}) }
    compiled.set(expression, entry)
  }
  return entry
}

export async function evaluateExpression(
  expression: string,
  scope: Record<string, unknown>,
  bindings?: Record<string, unknown>,
): Promise<unknown> {
  const { expr, path } = compile(expression)
  if (path) {
    const value = readPath(scope, path)
    if (value !== DEFER) return value
  }
  try {
    return await expr.evaluate(scope, bindings)
  } catch (error) {
    throw new ExpressionError(expression, `expression "${expression}" failed: ${(error as Error).message}`)
  }
}

export async function renderTemplate(
  template: string,
  scope: Record<string, unknown>,
  bindings?: Record<string, unknown>,
): Promise<string> {
  if (!template.includes('{{')) return template
  const values = await Promise.all(
    templateParts(template).map((part) =>
      typeof part === 'string' ? part : evaluateExpression(part.expression, scope, bindings),
    ),
  )
  return values
    .map((v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
    .join('')
}

/** A template split into its texts and placeholders, once per template. */
function templateParts(template: string): TemplatePart[] {
  let parts = templates.get(template)
  if (!parts) {
    parts = []
    let last = 0
    for (const match of template.matchAll(TEMPLATE)) {
      parts.push(template.slice(last, match.index), { expression: match[1]!.trim() })
      last = match.index! + match[0].length
    }
    parts.push(template.slice(last))
    templates.set(template, parts)
  }
  return parts
}

/** Syntax check for the validator: the error message, or null when the expression compiles. */
export function checkExpression(expression: string): string | null {
  try {
    compile(expression)
    return null
  } catch (error) {
    return (error as Error).message
  }
}

export function checkTemplate(template: string): string | null {
  for (const match of template.matchAll(TEMPLATE)) {
    const problem = checkExpression(match[1]!.trim())
    if (problem) return problem
  }
  return null
}
