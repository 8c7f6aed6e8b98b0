import type { PluginHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

/** The context every handler of this plugin receives, typed from its definition. */
export type WechatContext = Parameters<NonNullable<PluginHandlers<typeof definition>['healthCheck']>>[0]

/** The channel name this plugin declares; inbound messages are received on it. */
export const CHANNEL = 'wechat-oa'

/** The identity kind of the channel's customers. */
export const IDENTITY_KIND = 'wechat-openid'
