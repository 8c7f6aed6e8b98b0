import { capabilities, z, type PluginManifest } from '@switchboard/plugin-sdk'
import type { NodeCategory, NodeTypeDefinition } from '../flows/index.js'

/** How plugin node types reach the plugin: through the service, which owns the sandboxes. */
export interface PluginNodeCalls {
  runNode(
    plugin: string,
    node: string,
    input: {
      config: unknown
      vars: Record<string, unknown>
      input?: { text?: string; digits?: string }
      channel: 'text' | 'voice'
    },
  ): Promise<{
    port: string
    vars?: Record<string, unknown>
    messages?: Array<{ text: string; quickReplies?: string[] }>
  }>
}

const VARIABLE = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.]{0,63}$', default: 'result' }

/**
 * The config form of an action node: one expression per input field (the action's own field
 * descriptions become the form's help), and the variable the result goes to.
 */
function actionConfigSchema(input: Record<string, unknown>): Record<string, unknown> {
  const properties = (input.properties ?? {}) as Record<string, { description?: string; title?: string }>
  const fields = Object.fromEntries(
    Object.entries(properties).map(([field, schema]) => [
      field,
      {
        type: 'string',
        maxLength: 2000,
        title: schema.title ?? field,
        description: `${schema.description ? `${schema.description}. ` : ''}A JSONata expression, e.g. vars.${field}`,
      },
    ]),
  )
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      input: {
        type: 'object',
        additionalProperties: false,
        properties: fields,
        required: (input.required as string[] | undefined) ?? [],
      },
      variable: VARIABLE,
    },
    required: ['input'],
  }
}

function actionNodeType(
  type: string,
  title: NodeTypeDefinition['title'],
  description: NodeTypeDefinition['description'],
  category: NodeCategory,
  inputSchema: Record<string, unknown>,
): NodeTypeDefinition {
  const fields = Object.keys((inputSchema.properties ?? {}) as object)
  return {
    type,
    version: 1,
    title,
    description,
    category,
    configSchema: actionConfigSchema(inputSchema),
    ports: ['ok', 'error'],
    requiredPorts: ['ok'],
    channels: ['text', 'voice'],
    expressionFields: fields.map((f) => ({ path: `input.${f}`, kind: 'expression' as const })),
    async execute(ctx) {
      const config = ctx.node.config as { input?: Record<string, string>; variable?: string }
      const variable = config.variable ?? 'result'
      const input: Record<string, unknown> = {}
      for (const [field, expression] of Object.entries(config.input ?? {})) {
        const value = await ctx.evaluate(expression)
        if (value !== undefined) input[field] = value
      }
      try {
        ctx.vars[variable] = await ctx.effects.callPluginAction(type, input)
        return { next: 'ok' }
      } catch (error) {
        const message = (error as Error).message
        ctx.vars[`${variable}Error`] = { code: (error as { code?: string }).code ?? null, message }
        return { next: 'error', output: { error: message } }
      }
    },
  }
}

/**
 * The node types an enabled plugin adds to the palette: each of its own nodes (run in its
 * sandbox), and one node per action that is not a capability method. Capability methods get
 * vendor-neutral nodes (`erp.getOrder`) from {@link capabilityNodeTypes} instead.
 */
export function pluginNodeTypes(manifest: PluginManifest, calls: PluginNodeCalls): NodeTypeDefinition[] {
  const capabilityMethods = new Set(
    manifest.implements.flatMap((c) => Object.keys(capabilities[c as keyof typeof capabilities].methods)),
  )
  const types: NodeTypeDefinition[] = []
  for (const [name, node] of Object.entries(manifest.nodes)) {
    types.push({
      type: `${manifest.name}.${name}`,
      version: 1,
      title: node.title,
      description: node.description,
      category: node.category,
      configSchema: node.config,
      ports: node.ports,
      channels: node.channels,
      async execute(ctx) {
        const result = await calls.runNode(manifest.name, name, {
          config: ctx.node.config,
          vars: structuredClone(ctx.vars),
          input: ctx.input,
          channel: ctx.channel,
        })
        Object.assign(ctx.vars, result.vars ?? {})
        for (const m of result.messages ?? []) ctx.emit({ kind: 'message', text: m.text, quickReplies: m.quickReplies })
        return { next: result.port }
      },
    })
  }
  for (const [name, action] of Object.entries(manifest.actions)) {
    if (capabilityMethods.has(name)) continue
    types.push(
      actionNodeType(`${manifest.name}.${name}`, action.title, action.description, 'integration', action.input),
    )
  }
  return types
}

/** One node per method of each capability some enabled plugin implements, e.g. `logistics.track`. */
export function capabilityNodeTypes(implemented: Iterable<string>): NodeTypeDefinition[] {
  const types: NodeTypeDefinition[] = []
  for (const name of new Set(implemented)) {
    const capability = capabilities[name as keyof typeof capabilities]
    if (!capability || name === 'channel') continue
    for (const [method, spec] of Object.entries(capability.methods)) {
      const input = z.toJSONSchema(spec.input as z.ZodType, { io: 'input' }) as Record<string, unknown>
      types.push(
        actionNodeType(
          `${capability.alias}.${method}`,
          { en: `${capability.title.en}: ${method}`, 'zh-CN': `${capability.title['zh-CN']}：${method}` },
          {
            en: `Calls ${method} of the enabled ${capability.title.en} plugin; the result goes to the variable.`,
            'zh-CN': `调用已启用的「${capability.title['zh-CN']}」插件的 ${method}，结果存入变量。`,
          },
          name === 'llm' ? 'ai' : 'integration',
          input,
        ),
      )
    }
  }
  return types
}
