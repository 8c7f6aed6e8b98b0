import type { PluginHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

type Handlers = PluginHandlers<typeof definition>
type Actions = NonNullable<Handlers['actions']>

/** The context every handler of this plugin receives, typed from its definition. */
export type LlmContext = Parameters<NonNullable<Handlers['healthCheck']>>[0]

/** The parsed input of one of this plugin's actions. */
export type ActionInput<K extends keyof Actions> = Parameters<Actions[K]>[0]

/** What one of this plugin's actions returns. */
export type ActionOutput<K extends keyof Actions> = Awaited<ReturnType<Actions[K]>>

/** What the handler of one of this plugin's flow nodes receives (its config parsed). */
export type NodeInputOf<K extends keyof NonNullable<Handlers['nodes']>> = Parameters<
  NonNullable<Handlers['nodes']>[K]
>[0]

/** One of the two languages prompts are written in. */
export type Language = 'en' | 'zh-CN'
