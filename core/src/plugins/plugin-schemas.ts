import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

/** Formats zod writes into plugin schemas; starts_with & co. come with a pattern that does the check. */
export const schemaFormats = {
  uri: (value: string) => URL.canParse(value),
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  'date-time': (value: string) => !Number.isNaN(Date.parse(value)),
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  starts_with: true as const,
  ends_with: true as const,
  includes: true as const,
}

export interface SchemaProblem {
  path: string
  message: string
}

/**
 * The JSON Schema checks of one loaded plugin, on its own Ajv instances (dropped with the plugin,
 * so reloads do not pile up compiled schemas): inputs and configuration get their defaults
 * filled in; outputs lose the properties their schema does not declare, as zod strips them in the
 * plugin's own tests.
 */
export function createSchemaChecker() {
  const input = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, formats: schemaFormats })
  const output = new Ajv2020({ allErrors: true, strict: false, removeAdditional: true, formats: schemaFormats })
  const compiled = new Map<string, ValidateFunction>()
  const problemsOf = (v: ValidateFunction): SchemaProblem[] =>
    (v.errors ?? []).map((e) => ({
      path: e.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: e.message ?? 'invalid',
    }))
  return {
    /** Checks (and completes, or trims) `value` in place; the problems, empty when it is valid. */
    check(key: string, kind: 'input' | 'output', schema: Record<string, unknown>, value: unknown): SchemaProblem[] {
      let v = compiled.get(`${kind}:${key}`)
      if (!v) {
        v = (kind === 'input' ? input : output).compile(schema)
        compiled.set(`${kind}:${key}`, v)
      }
      return v(value) ? [] : problemsOf(v)
    },
  }
}
export type SchemaChecker = ReturnType<typeof createSchemaChecker>
