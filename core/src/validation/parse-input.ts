import type { z } from 'zod'
import { ErrorCode, userError } from '../errors/index.js'

export interface FieldProblem {
  /** where the value came from: payload, query, path parameters, or input for a service call */
  in: string
  /** dotted path of the wrong field, e.g. "identities.0.channel" */
  path: string
  message: string
}

/**
 * Validates input against its zod schema; on failure throws a user error (400) that lists every
 * wrong field, so nothing runs on bad input. Used by HTTP routes and by services called from the
 * CLI or other modules alike.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = 'input'): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const details: FieldProblem[] = parsed.error.issues.map((issue) => ({
    in: where,
    path:
      issue.path.join('.') ||
      (issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(', ') : '') ||
      '(root)',
    message: issue.message,
  }))
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ')
  throw userError(ErrorCode.VALIDATION, `Invalid ${where}: ${summary}`, { status: 400, details })
}
