/**
 * What time it is, for the modules whose rules are about time (SLA clocks, callbacks, surveys,
 * recurring issues) and the scheduler that wakes them. Production uses the system clock; the
 * scenario tests use a manual clock they move forward, across weekends and restarts, without
 * waiting.
 */
export interface Clock {
  now(): Date
  /** Called after the time jumps (a manual clock); the scheduler re-arms its timer. Returns an unsubscribe. */
  onJump(listener: () => void): () => void
  readonly manual: boolean
}

export const systemClock: Clock = {
  now: () => new Date(),
  onJump: () => () => undefined,
  manual: false,
}

export interface ManualClock extends Clock {
  set(time: Date | string): void
  advance(ms: number): void
}

/** A clock that only moves when told to; time never goes backwards. */
export function createManualClock(start: Date | string): ManualClock {
  let current = new Date(start).getTime()
  if (Number.isNaN(current)) throw new Error(`createManualClock: "${String(start)}" is not a time`)
  const listeners = new Set<() => void>()
  const jumpTo = (time: number) => {
    if (Number.isNaN(time)) throw new Error('a manual clock cannot be set to an invalid time')
    if (time < current) throw new Error('a manual clock does not go backwards')
    current = time
    for (const listener of listeners) listener()
  }
  return {
    manual: true,
    now: () => new Date(current),
    onJump(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    set: (time) => jumpTo(new Date(time).getTime()),
    advance: (ms) => jumpTo(current + ms),
  }
}
