import type { PluginHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

type Track = NonNullable<PluginHandlers<typeof definition>['actions']>['track']

/** The context every handler of this plugin receives, typed from its definition. */
export type Kuaidi100Context = Parameters<Track>[1]

/** The parsed input of the track action. */
export type TrackInput = Parameters<Track>[0]
