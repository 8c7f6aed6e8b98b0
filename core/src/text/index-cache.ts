import type { EventBus } from '../infra/index.js'

/**
 * A text index (an intent model, the knowledge base's search index) built from the database on
 * first use and kept in this instance's memory. A write calls `changed()`: the index is dropped
 * here and an event on the bus tells the other instances to drop theirs; the next search
 * rebuilds it. Concurrent searches share one build.
 */
export interface IndexCache<T> {
  get(): Promise<T>
  /** call after a write that the index depends on */
  changed(): Promise<void>
}

export function createIndexCache<T>({
  bus,
  topic,
  build,
}: {
  bus: EventBus
  /** the bus topic that says the data changed, e.g. `nlu.changed` */
  topic: string
  build(): Promise<T>
}): IndexCache<T> {
  let generation = 0
  let current: { generation: number; value: Promise<T> } | undefined
  let subscription: Promise<unknown> | undefined
  const invalidate = () => {
    generation++
  }
  const subscribe = () =>
    (subscription ??= bus.subscribe(topic, invalidate).catch((error: unknown) => {
      subscription = undefined
      throw error
    }))

  return {
    async get() {
      await subscribe()
      for (let attempt = 0; ; attempt++) {
        const startedAt = generation
        if (current?.generation !== startedAt) {
          const value = build()
          current = { generation: startedAt, value }
          value.catch(() => {
            if (current?.value === value) current = undefined
          })
        }
        const index = await current.value
        // a write during the build may be missing from it: build again (twice at most)
        if (generation === startedAt || attempt >= 2) return index
      }
    },
    async changed() {
      invalidate()
      await bus.publish(topic, { at: new Date().toISOString() })
    },
  }
}
