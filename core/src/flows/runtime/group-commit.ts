import type Database from 'better-sqlite3'

/** Thrown by a write to undo it and answer 'duplicate' (its event key was applied before). */
export const DUPLICATE = Symbol('duplicate')

export interface GroupCommit<T> {
  /** Resolves once the item is committed ('duplicate' when its write threw DUPLICATE). */
  submit(item: T): Promise<'saved' | 'duplicate'>
  /** Holds commits back (submissions queue up) until the returned function is called. */
  hold(): () => void
}

/**
 * Group commit: items submitted in the same tick are written in one transaction (one COMMIT, the
 * dominant cost); each promise resolves only after that COMMIT, so every answer is durable.
 * The group is first written without a savepoint per item (the common case: nothing fails). If
 * one item's write throws, the group is rolled back and written again with a savepoint per
 * item, so that only this item fails (or is a duplicate).
 */
export function createGroupCommit<T>(
  db: Database.Database,
  write: (item: T) => void,
  onFlush: () => void = () => {},
): GroupCommit<T> {
  type Pending = { item: T; resolve(result: 'saved' | 'duplicate'): void; reject(error: unknown): void }
  type Outcome = 'saved' | 'duplicate' | { error: unknown }
  let queue: Pending[] = []
  let held = 0

  const writeAll = db.transaction((group: Pending[]) => {
    for (const p of group) write(p.item)
  })
  const writeOne = db.transaction(write)
  const writeEach = db.transaction((group: Pending[]) =>
    group.map((p): Outcome => {
      try {
        writeOne(p.item)
        return 'saved'
      } catch (error) {
        return error === DUPLICATE ? 'duplicate' : { error }
      }
    }),
  )

  function flush() {
    onFlush()
    if (held > 0 || queue.length === 0) return
    const group = queue
    queue = []
    let outcomes: Outcome[]
    try {
      writeAll(group)
      outcomes = group.map(() => 'saved')
    } catch {
      try {
        outcomes = writeEach(group)
      } catch (error) {
        outcomes = group.map(() => ({ error }))
      }
    }
    group.forEach((p, i) => {
      const outcome = outcomes[i]!
      if (typeof outcome === 'object') p.reject(outcome.error)
      else p.resolve(outcome)
    })
  }

  return {
    submit(item) {
      return new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush)
        queue.push({ item, resolve, reject })
      })
    },
    hold() {
      held += 1
      let released = false
      return () => {
        if (released) return
        released = true
        held -= 1
        if (held === 0 && queue.length > 0) setImmediate(flush)
      }
    },
  }
}
