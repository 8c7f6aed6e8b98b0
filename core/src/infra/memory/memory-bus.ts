import type { EventBus, EventHandler } from '../types.js'
import { createInFlight, topicMatches } from '../types.js'

/** In-process event bus. Handlers run asynchronously, after publish() returns, like over Redis. */
export function createMemoryBus(onHandlerError: (error: unknown, topic: string) => void): EventBus {
  const subscriptions = new Set<{ pattern: string; handler: EventHandler }>()
  const inFlight = createInFlight()
  return {
    async publish(topic, event) {
      // JSON round-trip: subscribers get a copy, exactly as they would from Redis
      const copy = JSON.parse(JSON.stringify(event ?? null)) as unknown
      for (const sub of subscriptions) {
        if (!topicMatches(sub.pattern, topic)) continue
        // counted from publish() on, so drain() also waits for deliveries not started yet
        inFlight.track(
          new Promise<void>((resolve) =>
            setImmediate(() => {
              Promise.resolve()
                .then(() => sub.handler(copy, topic))
                .catch((error) => onHandlerError(error, topic))
                .finally(resolve)
            }),
          ),
        )
      }
    },
    async subscribe(pattern, handler) {
      const sub = { pattern, handler }
      subscriptions.add(sub)
      return async () => {
        subscriptions.delete(sub)
      }
    },
    drain: (timeoutMs) => inFlight.drain(timeoutMs),
    async close() {
      subscriptions.clear()
    },
  }
}
