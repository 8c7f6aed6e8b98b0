import { describe, expect, it } from 'vitest'
import { eventKeyOf, isValidEventPattern, matchesEventPattern } from './event-types.js'

describe('webhook event patterns', () => {
  it.each([
    'conversation.created',
    'conversation.message.created',
    'agent.presence',
    'conversation.*',
    'conversation.message.*',
    'ticket.*',
    'plugin.*',
    'plugin.erp-woocommerce.*',
    'plugin.erp-woocommerce.order-paid',
    '*',
  ])('accepts %s', (pattern) => expect(isValidEventPattern(pattern)).toBe(true))

  it.each([
    'conversation.opened',
    'conversation.message.failed',
    'auth.credentials-revoked',
    'kb.*',
    'plugins.changed',
    'plugin.',
    'plugin.x',
    'conversation.*.created',
    'webhook.test',
  ])('refuses %s', (pattern) => expect(isValidEventPattern(pattern)).toBe(false))

  it('matches like the bus: a topic, or a prefix ending in *', () => {
    expect(matchesEventPattern('conversation.*', 'conversation.message.created')).toBe(true)
    expect(matchesEventPattern('conversation.created', 'conversation.created')).toBe(true)
    expect(matchesEventPattern('conversation.created', 'conversation.created.x')).toBe(false)
    expect(matchesEventPattern('ticket.*', 'conversation.created')).toBe(false)
  })

  it('gives the same event the same key, and another event another', () => {
    const a = eventKeyOf('ticket.created', { ticketId: 1 })
    expect(eventKeyOf('ticket.created', JSON.parse(JSON.stringify({ ticketId: 1 })))).toBe(a)
    expect(eventKeyOf('ticket.updated', { ticketId: 1 })).not.toBe(a)
    expect(eventKeyOf('ticket.created', { ticketId: 2 })).not.toBe(a)
  })
})
