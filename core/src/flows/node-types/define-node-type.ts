import { z } from 'zod'
import type { ExecutionContext, NodeResult, ResumeEvent } from '../runtime/execution-context.js'
import type { Localized, NodeCategory, NodeTypeDefinition } from './node-type.js'

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
  execute(ctx: ExecutionContext<z.output<S>>): Promise<NodeResult>
  resume?(ctx: ExecutionContext<z.output<S>>, event: ResumeEvent): Promise<NodeResult>
}): NodeTypeDefinition {
  const configSchema = z.toJSONSchema(spec.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  delete configSchema.$schema
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
    execute: (ctx) =>
      spec.execute({ ...ctx, node: { ...ctx.node, config: spec.config.parse(ctx.node.config) } } as never),
    resume: spec.resume
      ? (ctx, event) =>
          spec.resume!({ ...ctx, node: { ...ctx.node, config: spec.config.parse(ctx.node.config) } } as never, event)
      : undefined,
  }
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
