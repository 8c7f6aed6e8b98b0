import type { z } from 'zod'
import type { OutboundMessage } from './capabilities/channel.js'
import type { PluginContext, SocketAnswer, SocketEvent, WebhookRequest, WebhookResponse } from './context.js'
import type { ActionDefinition, NodeDefinition } from './definition.js'

/** The `ctx` type of a plugin's handlers, typed from its definition (`PluginContextOf<typeof definition>`). */
export type PluginContextOf<D> = D extends {
  config: infer C extends z.ZodType
  secrets: infer S extends z.ZodType
}
  ? PluginContext<z.output<C>, z.output<S>>
  : PluginContext
type ActionsOf<D> = D extends { actions?: infer A } ? (A extends Record<string, ActionDefinition> ? A : never) : never
type NodesOf<D> = D extends { nodes?: infer N } ? (N extends Record<string, NodeDefinition> ? N : never) : never

/** The parsed input of one action, e.g. `ActionInputOf<typeof definition, 'getOrder'>`. */
export type ActionInputOf<D, K extends keyof ActionsOf<D>> = z.output<ActionsOf<D>[K]['input']>
/** What one action returns (before the host checks it against the output schema). */
export type ActionOutputOf<D, K extends keyof ActionsOf<D>> = z.input<ActionsOf<D>[K]['output']>

/** What a plugin node's handler receives: its config and the run's variables (read-only copies). */
export interface NodeInput<Config> {
  config: Config
  vars: Record<string, unknown>
  input?: { text?: string; digits?: string }
  channel: 'text' | 'voice'
}

/** Where the run goes next, variables to set, and messages to send before moving on. */
export interface NodeOutput {
  port: string
  vars?: Record<string, unknown>
  messages?: Array<{ text: string; quickReplies?: string[] }>
}

/** The code side of a plugin: one handler per action, node, webhook and event it declared. */
export interface PluginHandlers<D> {
  /** one handler per declared action (a channel plugin may have none) */
  actions?: {
    [K in keyof ActionsOf<D>]: (
      input: z.output<ActionsOf<D>[K]['input']>,
      ctx: PluginContextOf<D>,
    ) => Promise<z.input<ActionsOf<D>[K]['output']>>
  }
  nodes?: {
    [K in keyof NodesOf<D>]: (
      input: NodeInput<z.output<NodesOf<D>[K]['config']>>,
      ctx: PluginContextOf<D>,
    ) => Promise<NodeOutput>
  }
  webhooks?: Record<string, (request: WebhookRequest, ctx: PluginContextOf<D>) => Promise<WebhookResponse>>
  /** one handler per declared socket (`permissions.sockets`): accepts connections, takes frames */
  sockets?: Record<string, (event: SocketEvent, ctx: PluginContextOf<D>) => Promise<SocketAnswer>>
  /** channel plugins: deliver a message to the customer */
  send?: (
    input: { channel: string; message: OutboundMessage },
    ctx: PluginContextOf<D>,
  ) => Promise<{ channelMessageId: string | null }>
  /** events the plugin receives (`permissions.events.receive`) */
  events?: Record<string, (data: unknown, ctx: PluginContextOf<D>) => Promise<void>>
  /** checks the saved configuration (e.g. the credentials work); shown in the admin UI */
  healthCheck?: (ctx: PluginContextOf<D>) => Promise<{ ok: boolean; message?: string }>
}

/**
 * Declares the handlers of a plugin, typed from its definition: inputs are parsed and outputs
 * checked by the host against the definition's schemas, so a handler can trust its input.
 * Import it from `@switchboard/plugin-sdk/runtime` in code that runs in the sandbox.
 *
 * @example
 * ```ts
 * import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
 * import type definition from '../plugin.definition.js'
 *
 * export default defineHandlers<typeof definition>({
 *   actions: { greet: async ({ name }, ctx) => ({ text: `${ctx.config.greeting}, ${name}` }) },
 * })
 * ```
 */
export function defineHandlers<D>(handlers: PluginHandlers<D>): PluginHandlers<D> {
  return handlers
}
