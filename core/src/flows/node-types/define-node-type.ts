import { z } from 'zod'
import type { ExecutionContext, NodeResult, ResumeEvent } from '../runtime/execution-context.js'
import type { Localized, NodeCategory, NodeTypeDefinition } from './node-type.js'

/**
 * What a config field reads as in the builder's form, in both languages. It is written into the
 * served JSON Schema: `title` and `description` in English (standard JSON Schema keywords),
 * `x-enumNames` for the choices of an enum, and the Chinese under `x-i18n["zh-CN"]` — the same
 * keywords a plugin can put in its own node's config schema.
 */
export interface FieldText {
  label: Localized
  /** help under the field; without `en`, the English is the schema's own description (zod `.describe()`) */
  help?: Partial<Localized>
  /** what each value of an enum reads as */
  options?: Record<string, Localized>
}

/**
 * Writes the labels into a config JSON Schema (in place). Paths are dotted, `*` for the items of
 * an array (`choices.*.key`), as in `expressionFields`. A path the schema does not have is
 * skipped: the builtins test reports fields without a label, so a renamed field is noticed there
 * without a node type failing to load.
 */
export function labelConfigSchema(schema: Record<string, unknown>, fields: Record<string, FieldText>): void {
  for (const [path, text] of Object.entries(fields)) {
    let at: Record<string, unknown> | undefined = schema
    for (const part of path.split('.')) {
      if (!at) break
      at = (part === '*' ? at.items : (at.properties as Record<string, unknown> | undefined)?.[part]) as Record<
        string,
        unknown
      >
    }
    if (!at || typeof at !== 'object') continue
    at.title = text.label.en
    if (text.help?.en) at.description = text.help.en
    const zh: Record<string, unknown> = { title: text.label['zh-CN'] }
    if (text.help?.['zh-CN']) zh.description = text.help['zh-CN']
    if (text.options) {
      at['x-enumNames'] = Object.fromEntries(Object.entries(text.options).map(([value, l]) => [value, l.en]))
      zh.enumNames = Object.fromEntries(Object.entries(text.options).map(([value, l]) => [value, l['zh-CN']]))
    }
    at['x-i18n'] = { 'zh-CN': zh }
  }
}

/**
 * Built-in node types declare their config as a zod schema: it types the executor, and its JSON
 * Schema (what plugins provide directly) is what the validator and the builder's forms use.
 */
export function defineNodeType<S extends z.ZodType<Record<string, unknown>>>(spec: {
  type: string
  version?: number
  title: Localized
  description: Localized
  category: NodeCategory
  config: S
  ports: readonly string[] | ((config: z.output<S>) => string[])
  requiredPorts?: readonly string[] | ((config: z.output<S>) => string[])
  channels?: ReadonlyArray<'text' | 'voice'>
  expressionFields?: ReadonlyArray<{ path: string; kind: 'expression' | 'template' }>
  /** the form's label and help of each config field (see {@link FieldText}) */
  fields?: Record<string, FieldText>
  execute(ctx: ExecutionContext<z.output<S>>): Promise<NodeResult>
  resume?(ctx: ExecutionContext<z.output<S>>, event: ResumeEvent): Promise<NodeResult>
}): NodeTypeDefinition {
  // a copy of its own: labels are written into it, and zod may hand out one object for a reused schema
  const configSchema = structuredClone(z.toJSONSchema(spec.config, { io: 'input', unrepresentable: 'any' })) as Record<
    string,
    unknown
  >
  delete configSchema.$schema
  if (spec.fields) labelConfigSchema(configSchema, spec.fields)
  // A node's config is parsed once, not on every run of the node: documents of published
  // versions are cached and never changed. Keyed by the config object itself, so an edited
  // document (a new object) is parsed again; frozen, since every later run shares it.
  const parsed = new WeakMap<object, z.output<S>>()
  const withConfig = (ctx: ExecutionContext) => {
    const raw = ctx.node.config
    let config = parsed.get(raw)
    if (config === undefined) {
      config = deepFreeze(spec.config.parse(raw))
      parsed.set(raw, config)
    }
    return { ...ctx, node: { ...ctx.node, config } } as never
  }
  return {
    type: spec.type,
    version: spec.version ?? 1,
    title: spec.title,
    description: spec.description,
    category: spec.category,
    configSchema,
    ports: spec.ports as NodeTypeDefinition['ports'],
    requiredPorts: spec.requiredPorts as NodeTypeDefinition['requiredPorts'],
    channels: spec.channels ?? ['text', 'voice'],
    expressionFields: spec.expressionFields,
    checkConfig: (config) => {
      const parsed = spec.config.safeParse(config)
      return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    },
    // the engine hands executors the config with zod's defaults applied
    execute: (ctx) => spec.execute(withConfig(ctx)),
    resume: spec.resume ? (ctx, event) => spec.resume!(withConfig(ctx), event) : undefined,
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

export const text = (maxLength = 4000) => z.string().max(maxLength)
export const localizedText = z.union([
  z.string().max(4000),
  z.strictObject({ en: z.string().max(4000).optional(), 'zh-CN': z.string().max(4000).optional() }),
])
export type LocalizedText = z.infer<typeof localizedText>
export const duration = z.union([
  z.number().int().min(0),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'a duration such as 30s, 15m, 2h'),
])
