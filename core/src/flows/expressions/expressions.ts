import jsonata from 'jsonata'
import { LRUCache } from 'lru-cache'

/**
 * Expressions are data, not code: JSONata over the run's scope
 * ({ vars, contact, conversation, input, now }). Templates are texts with {{ expression }}
 * placeholders. Compiled expressions are cached. Bindings can replace functions such as
 * $now() so expressions follow the run's clock.
 */
const compiled = new LRUCache<string, jsonata.Expression>({ max: 5000 })
const TEMPLATE = /\{\{([\s\S]+?)\}\}/g

export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message)
    this.name = 'ExpressionError'
  }
}

function compile(expression: string): jsonata.Expression {
  let expr = compiled.get(expression)
  if (!expr) {
    try {
      expr = jsonata(expression)
    } catch (error) {
      const e = error as { message?: string; position?: number }
      throw new ExpressionError(
        expression,
        `invalid expression "${expression}": ${e.message ?? error}${e.position !== undefined ? ` (at ${e.position})` : ''}`,
      )
    }
    compiled.set(expression, expr)
  }
  return expr
}

export async function evaluateExpression(
  expression: string,
  scope: Record<string, unknown>,
  bindings?: Record<string, unknown>,
): Promise<unknown> {
  const expr = compile(expression)
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
  const parts: Array<string | Promise<unknown>> = []
  let last = 0
  for (const match of template.matchAll(TEMPLATE)) {
    parts.push(template.slice(last, match.index))
    parts.push(evaluateExpression(match[1]!.trim(), scope, bindings))
    last = match.index! + match[0].length
  }
  parts.push(template.slice(last))
  const values = await Promise.all(parts)
  return values
    .map((v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)))
    .join('')
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
