import type { PluginHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

type Handlers = PluginHandlers<typeof definition>
type Actions = NonNullable<Handlers['actions']>

/** The context every handler of this plugin receives, typed from its definition. */
export type WooContext = Parameters<NonNullable<Handlers['healthCheck']>>[0]

/** The parsed input of one of this plugin's actions. */
export type ActionInput<K extends keyof Actions> = Parameters<Actions[K]>[0]
