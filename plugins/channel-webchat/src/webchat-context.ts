import type { PluginHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

/** The context every handler of this plugin receives, typed from its definition. */
export type WebchatContext = Parameters<NonNullable<PluginHandlers<typeof definition>['healthCheck']>>[0]

/** The channel name this plugin declares; visitors' messages are received on it. */
export const CHANNEL = 'webchat'

/** The identity kind of the channel's visitors. */
export const IDENTITY_KIND = 'web-visitor'

/** Where the host keeps attachments uploaded through this plugin's socket. */
export const UPLOAD_PREFIX = '/hooks/channel-webchat/upload/chat/'
