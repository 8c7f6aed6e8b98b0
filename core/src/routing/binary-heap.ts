/** A binary min-heap by a comparator: `peek` is the item that sorts first. */
export class BinaryHeap<T> {
  private readonly items: T[] = []

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** How many items the heap holds. */
  get size(): number {
    return this.items.length
  }

  /** The first item, left in the heap. */
  peek(): T | undefined {
    return this.items[0]
  }

  /** Adds an item: O(log n). */
  push(item: T): void {
    const items = this.items
    let i = items.length
    items.push(item)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.compare(item, items[parent]!) >= 0) break
      items[i] = items[parent]!
      i = parent
    }
    items[i] = item
  }

  /** Takes the first item out: O(log n). */
  pop(): T | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length === 0 || last === undefined) return top
    let i = 0
    const n = items.length
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && this.compare(items[right]!, items[left]!) < 0 ? right : left
      if (this.compare(items[child]!, last) >= 0) break
      items[i] = items[child]!
      i = child
    }
    items[i] = last
    return top
  }
}
