/**
 * Collects keys (queue ids, agent ids) and hands them over together at most once per `delayMs`,
 * so a burst of events costs one count. A flush never overlaps the previous one.
 */
export function coalesce<T>(delayMs: number, flush: (keys: T[]) => Promise<void>, onError: (error: unknown) => void) {
  const pending = new Set<T>()
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null

  const schedule = () => {
    if (timer || running || pending.size === 0) return
    timer = setTimeout(run, delayMs)
    timer.unref()
  }
  const run = () => {
    timer = null
    const keys = [...pending]
    pending.clear()
    running = flush(keys)
      .catch(onError)
      .finally(() => {
        running = null
        schedule()
      })
  }

  return {
    add(...keys: Array<T | null | undefined>): void {
      for (const key of keys) if (key !== null && key !== undefined) pending.add(key)
      schedule()
    },
    /** Drops what is pending and waits for a flush in progress. */
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer)
      timer = null
      pending.clear()
      await running
    },
  }
}
