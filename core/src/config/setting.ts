import { z } from 'zod'

/**
 * One configuration setting: where it comes from (an environment variable, or its dotted
 * key in the config file), what it accepts, its default and its documentation. The same
 * definition validates at start, types the config object and writes docs/configuration.md.
 */
export interface Setting<T> {
  env: string
  doc: string
  /** what a valid value looks like, in words, used in error messages */
  expected: string
  schema: z.ZodType<T>
  default: T
  /** secrets are never printed (config dump, errors show only that the value is wrong) */
  secret?: boolean
  /** URLs that may hold a password: shown with the password masked */
  url?: boolean
}

type AnySetting = Setting<unknown>
export type SettingsOf<S extends Record<string, AnySetting>> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? T : never
}

export function setting<T>(spec: Setting<T>): Setting<T> {
  return spec
}

export const parse = {
  int(min: number, max: number) {
    return {
      expected: `a whole number from ${min} to ${max}`,
      schema: z.coerce.number().int().min(min).max(max),
    }
  },
  string(minLength = 0) {
    return {
      expected:
        minLength > 1 ? `a text of at least ${minLength} characters` : minLength === 1 ? 'a non-empty text' : 'a text',
      schema: z.string().min(minLength),
    }
  },
  optionalString() {
    return { expected: 'a text', schema: z.string().min(1).optional() }
  },
  oneOf<const V extends readonly [string, ...string[]]>(values: V) {
    return { expected: `one of ${values.join(', ')}`, schema: z.enum(values) }
  },
  boolean() {
    return {
      expected: 'true or false',
      schema: z
        .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
        .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes'),
    }
  },
  /** "250ms", "30s", "15m", "12h", "7d", or a number of milliseconds → milliseconds */
  duration(minMs: number) {
    return {
      expected: `a duration such as 30s, 15m, 12h or 7d (at least ${minMs} ms)`,
      schema: z.union([z.number(), z.string()]).transform((v, ctx) => {
        const ms = parseDuration(v)
        if (ms === undefined || ms < minMs) {
          ctx.addIssue({ code: 'custom', message: 'bad duration' })
          return z.NEVER
        }
        return ms
      }),
    }
  },
  optionalUrl(protocols: readonly string[]) {
    return {
      url: true,
      expected: `a URL starting with ${protocols.map((p) => (p === 'file:' ? 'file:' : p + '//')).join(' or ')}`,
      schema: z
        .string()
        .refine((v) => {
          try {
            return protocols.includes(new URL(v).protocol)
          } catch {
            return false
          }
        })
        .optional(),
    }
  },
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value)
  if (!match) return undefined
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!)
}
