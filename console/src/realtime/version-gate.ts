/**
 * Drops out-of-order conversation events: keeps the highest version seen per conversation and
 * accepts an event only if its version is not lower (events for the same version, like a new
 * message beside its state, are all accepted).
 */
export function createVersionGate() {
  const seen = new Map<string, number>()
  return {
    accept(id: string, version: number | undefined): boolean {
      if (version === undefined) return true
      const last = seen.get(id)
      if (last !== undefined && version < last) return false
      seen.set(id, version)
      return true
    },
    /** Records the version a REST answer had, so older events arriving after it are dropped. */
    observe(id: string, version: number): void {
      const last = seen.get(id)
      if (last === undefined || version > last) seen.set(id, version)
    },
    forget(id: string): void {
      seen.delete(id)
    },
  }
}
