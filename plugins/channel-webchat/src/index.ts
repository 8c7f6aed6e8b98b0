import { defineHandlers, type SocketEvent } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { acceptConnection } from './accept-connection.js'
import { takeVisitorFrame } from './visitor-frame.js'
import type { WebchatContext } from './webchat-context.js'

/**
 * The web chat channel. The host serves the widget's socket and keeps its reliability (seq, acks,
 * resume); this plugin decides who may connect (allowed origins, verified identities) and what a
 * visitor's frame means. Replies reach the widget from the stored conversation, pushed by the host
 * with their sequence numbers, so `send` only acknowledges.
 */
export default defineHandlers<typeof definition>({
  actions: {},
  sockets: {
    chat: async (event: SocketEvent, ctx: WebchatContext) =>
      event.type === 'connect' ? acceptConnection(event, ctx) : takeVisitorFrame(event, ctx),
  },
  send: async () => ({ channelMessageId: null }),
})
