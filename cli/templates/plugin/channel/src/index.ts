import { defineHandlers, pluginError } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

const CHANNEL = '{{NAME}}'

/** What the service posts to the webhook for each message a customer sends. */
interface InboundEvent {
  id: string
  from: { id: string; name?: string }
  text: string
  sentAt: string
}

function parseEvent(body: string): InboundEvent | undefined {
  try {
    const event = JSON.parse(body) as Partial<InboundEvent>
    const complete =
      typeof event.id === 'string' && typeof event.from?.id === 'string' && typeof event.text === 'string'
    return complete ? ({ sentAt: new Date().toISOString(), ...event } as InboundEvent) : undefined
  } catch {
    return undefined
  }
}

/**
 * The handlers run in the host's sandbox: ECMAScript built-ins and `ctx` only (no Node, no
 * global fetch). Messages come in through the webhook and go out through `send`.
 */
export default defineHandlers<typeof definition>({
  actions: {},
  webhooks: {
    async inbound(request, ctx) {
      const signature = await ctx.crypto.hmacSha256(ctx.secrets.webhookSecret, request.body)
      if (request.headers['x-signature'] !== signature) return { status: 401, body: 'bad signature' }
      const event = parseEvent(request.body)
      if (!event) return { status: 400, body: 'expected { id, from: { id }, text }' }
      await ctx.channel.receive(CHANNEL, {
        channelMessageId: event.id,
        from: { id: event.from.id, kind: '{{IDENTITY_KIND}}', name: event.from.name },
        kind: 'text',
        text: event.text,
        receivedAt: event.sentAt,
      })
      return { status: 200, body: 'ok' }
    },
  },
  async send({ message }, ctx) {
    const response = await ctx.fetch(`${ctx.config.apiBaseUrl.replace(/\/+$/, '')}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.secrets.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: message.to.id, text: message.text ?? '' }),
    })
    if (!response.ok)
      throw pluginError('UPSTREAM_ERROR', `The messaging API answered ${response.status}`, {
        retryable: response.status >= 500,
      })
    const sent = (await response.json()) as { id?: string }
    return { channelMessageId: sent.id ?? null }
  },
})
