import type { z } from 'zod'
import type { CapabilityName } from './capabilities/index.js'
import type { Localized } from './localized.js'

export type PluginKind = 'channel' | 'ai' | 'integration' | 'nodes'
type AnyObject = z.ZodType<Record<string, unknown>>

/** An action other parts of Switchboard call: a flow node, a console panel, a capability method. */
export interface ActionDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  title: Localized
  description: Localized
  input: I
  output: O
  /** keep results this many seconds in the host's cache (Redis when configured), keyed by input */
  cacheSeconds?: number
}

/** A flow node type the plugin adds to the builder's palette. It runs in the sandbox and does not wait. */
export interface NodeDefinition<C extends AnyObject = AnyObject> {
  title: Localized
  description: Localized
  category: 'messaging' | 'logic' | 'ai' | 'routing' | 'tickets' | 'integration' | 'voice'
  config: C
  /** output ports; the handler returns which one to follow */
  ports: readonly string[]
  channels?: ReadonlyArray<'text' | 'voice'>
}

/** A screen-pop panel in the console's customer profile, filled by one of the plugin's actions. */
export interface PanelDefinition {
  title: Localized
  /** the action that loads it; it receives { contact: { phone?, email?, name?, attributes } } */
  action: string
  layout: 'key-value' | 'table' | 'timeline'
  /** what to show: a label and a JSON path into each result item */
  fields: ReadonlyArray<{ label: Localized; path: string; format?: 'text' | 'money' | 'date' | 'link' | 'badge' }>
}

/** A channel this plugin connects (e.g. one WeChat Official Account). */
export interface ChannelDefinition {
  title: Localized
  /** the identity kind its customers have, e.g. wechat-openid */
  identityKind: string
  /** what its messages can carry */
  supports: ReadonlyArray<'text' | 'image' | 'file' | 'audio' | 'quick-replies'>
}

/** What a plugin may reach. Anything not declared here is refused by the host. */
export interface PluginPermissions {
  /**
   * outbound hosts for `ctx.fetch`: a host name (`api.example.com`), a wildcard (`*.example.com`),
   * or `config:<field>` for the host of a URL in the plugin's config (a self-hosted shop)
   */
  hosts?: readonly string[]
  /** the key-value store's quota in kilobytes (default 0: no store) */
  storageKb?: number
  /** HTTP routes the host opens at /hooks/<plugin>/<name> (channel webhooks) */
  webhooks?: ReadonlyArray<{ name: string; methods: ReadonlyArray<'GET' | 'POST'> }>
  /**
   * WebSocket endpoints the host serves at /hooks/<plugin>/ws/<name> (the web chat widget). The host
   * keeps the connections, sequence numbers, acks and resume; the plugin's `sockets.<name>` handler
   * accepts connections and turns inbound frames into messages.
   */
  sockets?: ReadonlyArray<{ name: string }>
  /** event topics the plugin may emit (prefixed with its name by the host) and receive */
  events?: { emit?: readonly string[]; receive?: readonly string[] }
}

/** Per-call resource limits; the host's defaults apply when omitted, and its maximums always. */
export interface PluginLimits {
  memoryMb?: number
  cpuMs?: number
  timeoutMs?: number
}

/**
 * A plugin's definition: everything the host, the flow builder and the console know about it
 * without running its code. Kept in `plugin.definition.ts`; the handlers live in `src/`.
 */
export interface PluginDefinition<
  Config extends AnyObject = AnyObject,
  Secrets extends AnyObject = AnyObject,
  Actions extends Record<string, ActionDefinition> = Record<string, ActionDefinition>,
  Nodes extends Record<string, NodeDefinition> = Record<string, NodeDefinition>,
> {
  /** lower-case kebab name, unique among installed plugins; prefixes its actions and node types */
  name: string
  version: string
  /** the Switchboard core versions it works with, as a semver range, e.g. ">=0.1.0 <1.0.0" */
  requires: { core: string }
  kinds: readonly PluginKind[]
  title: Localized
  description: Localized
  /** a file in the package (SVG or PNG) */
  icon: string
  /** a file in the package (Markdown) */
  readme: string
  author?: string
  homepage?: string
  config: Config
  secrets: Secrets
  permissions: PluginPermissions
  limits?: PluginLimits
  /** capability interfaces it implements; each method must be one of its actions */
  implements?: readonly CapabilityName[]
  actions?: Actions
  nodes?: Nodes
  panels?: Record<string, PanelDefinition>
  channels?: Record<string, ChannelDefinition>
}

/**
 * Declares a plugin. The definition is data plus zod schemas; `switchboard plugin build` turns
 * it into `dist/manifest.json`, which the host validates before it runs any of the plugin's code.
 *
 * @example
 * ```ts
 * import { definePlugin, z } from '@switchboard/plugin-sdk'
 *
 * export default definePlugin({
 *   name: 'hello', version: '1.0.0', requires: { core: '>=0.1.0 <1.0.0' }, kinds: ['integration'],
 *   title: { en: 'Hello', 'zh-CN': '你好' }, description: { en: 'Greets', 'zh-CN': '打招呼' },
 *   icon: 'icon.svg', readme: 'README.md',
 *   config: z.object({ greeting: z.string().default('Hello') }), secrets: z.object({}),
 *   permissions: {},
 *   actions: {
 *     greet: { title: { en: 'Greet', 'zh-CN': '问候' }, description: { en: 'Says hello', 'zh-CN': '问好' },
 *       input: z.object({ name: z.string() }), output: z.object({ text: z.string() }) },
 *   },
 * })
 * ```
 */
export function definePlugin<
  Config extends AnyObject,
  Secrets extends AnyObject,
  Actions extends Record<string, ActionDefinition>,
  Nodes extends Record<string, NodeDefinition> = Record<never, NodeDefinition>,
>(definition: PluginDefinition<Config, Secrets, Actions, Nodes>): PluginDefinition<Config, Secrets, Actions, Nodes> {
  return definition
}
