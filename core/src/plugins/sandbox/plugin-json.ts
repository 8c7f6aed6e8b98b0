import { ErrorCode } from '../../errors/index.js'
import { sandboxFault } from './sandbox-errors.js'

/** How deeply nested a value from a plugin may be. */
export const MAX_DEPTH = 64

/** Keys that could reach a prototype when the value is later merged into a host object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

function clean(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH)
    throw sandboxFault(ErrorCode.PLUGIN_INVALID_OUTPUT, `the value is nested more than ${MAX_DEPTH} levels deep`, {
      details: { reason: 'too-deep' },
    })
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = clean(value[i], depth + 1)
    return value
  }
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    // JSON.parse makes "__proto__" an own property: deleting it leaves the real prototype alone
    if (FORBIDDEN_KEYS.has(key)) delete record[key]
    else record[key] = clean(record[key], depth + 1)
  }
  return record
}

/**
 * Reads JSON text that plugin code produced: bounded in size and depth, and without
 * `__proto__`, `constructor` or `prototype` keys at any level, so prototype pollution inside the
 * isolate cannot reach host objects. Throws `SB_ERR_PLUGIN_INVALID_OUTPUT`.
 *
 * @example
 * ```ts
 * parsePluginJson('{"__proto__":{"polluted":true},"a":1}', 1024) // → { a: 1 }
 * ```
 */
export function parsePluginJson(text: unknown, maxChars: number): unknown {
  if (typeof text !== 'string')
    throw sandboxFault(ErrorCode.PLUGIN_INVALID_OUTPUT, 'the sandbox returned something other than JSON text', {
      details: { reason: 'not-json' },
    })
  if (text.length > maxChars)
    throw sandboxFault(ErrorCode.PLUGIN_INVALID_OUTPUT, `the value is larger than ${maxChars} characters of JSON`, {
      details: { reason: 'too-large', limit: maxChars },
    })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw sandboxFault(ErrorCode.PLUGIN_INVALID_OUTPUT, 'the value is not valid JSON', {
      details: { reason: 'not-json' },
    })
  }
  return clean(value, 0)
}
