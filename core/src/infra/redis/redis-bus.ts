import type { Redis } from 'ioredis'
import type { EventBus, EventHandler } from '../types.js'
import { createInFlight, topicMatches } from '../types.js'

/**
 * Event bus over Redis pub/sub: every instance receives every event it subscribed to.
 * One subscriber connection per process; local handlers are matched against topics here, so
 * a pattern only needs one Redis PSUBSCRIBE however many handlers share it.
 */
export function createRedisBus(
  publisher: Redis,
  subscriber: Redis,
  prefix: string,
  onHandlerError: (error: unknown, topic: string) => void,
): EventBus {
  const channelPrefix = `${prefix}bus:`
  const subscriptions = new Set<{ pattern: string; redisPattern: string; handler: EventHandler }>()
  const inFlight = createInFlight()
  const redisPatterns = new Map<string, number>()

  subscriber.on('pmessage', (redisPattern: string, channel: string, message: string) => {
    const topic = channel.slice(channelPrefix.length)
    let event: unknown
    try {
      event = JSON.parse(message)
    } catch (error) {
      onHandlerError(error, topic)
      return
    }
    // A topic matching several Redis patterns arrives once per pattern: each delivery goes
    // only to the handlers of that pattern, so every handler gets the event once.
    for (const sub of subscriptions) {
      if (sub.redisPattern !== redisPattern || !topicMatches(sub.pattern, topic)) continue
      inFlight.track(
        Promise.resolve()
          .then(() => sub.handler(event, topic))
          .catch((error) => onHandlerError(error, topic)),
      )
    }
  })

  const toRedisPattern = (pattern: string) =>
    channelPrefix +
    escapeGlob(pattern.endsWith('*') ? pattern.slice(0, -1) : pattern) +
    (pattern.endsWith('*') ? '*' : '')

  return {
    async publish(topic, event) {
      await publisher.publish(channelPrefix + topic, JSON.stringify(event ?? null))
    },
    async subscribe(pattern, handler) {
      const redisPattern = toRedisPattern(pattern)
      const sub = { pattern, redisPattern, handler }
      const count = redisPatterns.get(redisPattern) ?? 0
      if (count === 0) await subscriber.psubscribe(redisPattern)
      redisPatterns.set(redisPattern, count + 1)
      subscriptions.add(sub)
      return async () => {
        if (!subscriptions.delete(sub)) return
        const left = (redisPatterns.get(redisPattern) ?? 1) - 1
        redisPatterns.set(redisPattern, left)
        if (left === 0) {
          redisPatterns.delete(redisPattern)
          await subscriber.punsubscribe(redisPattern)
        }
      }
    },
    // events published by others may still be on their way from Redis: only what arrived is awaited
    drain: (timeoutMs) => inFlight.drain(timeoutMs),
    async close() {
      subscriptions.clear()
      if (redisPatterns.size > 0) await subscriber.punsubscribe(...redisPatterns.keys()).catch(() => undefined)
      redisPatterns.clear()
    },
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`)
}
