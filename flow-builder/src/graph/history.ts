/**
 * Undo/redo over immutable snapshots. A change with the same `coalesce` key as the previous one
 * (typing in one form field) replaces it instead of adding a step, so undo goes back a word, not a
 * keystroke at a time.
 */
export class History<T> {
  private past: T[] = []
  private future: T[] = []
  private lastKey: string | null = null

  constructor(
    private current: T,
    private readonly limit = 200,
  ) {}

  get present(): T {
    return this.current
  }

  get canUndo(): boolean {
    return this.past.length > 0
  }

  get canRedo(): boolean {
    return this.future.length > 0
  }

  push(next: T, coalesce?: string): void {
    if (next === this.current) return
    if (!(coalesce && coalesce === this.lastKey)) {
      this.past.push(this.current)
      if (this.past.length > this.limit) this.past.shift()
    }
    this.current = next
    this.future = []
    this.lastKey = coalesce ?? null
  }

  undo(): T {
    const previous = this.past.pop()
    if (previous !== undefined) {
      this.future.push(this.current)
      this.current = previous
    }
    this.lastKey = null
    return this.current
  }

  redo(): T {
    const next = this.future.pop()
    if (next !== undefined) {
      this.past.push(this.current)
      this.current = next
    }
    this.lastKey = null
    return this.current
  }

  /** starts over from `value` (after loading a flow) */
  reset(value: T): void {
    this.past = []
    this.future = []
    this.current = value
    this.lastKey = null
  }
}
