/** Shares one in-flight load between concurrent callers asking for the same key. */
export function singleFlight() {
  const inFlight = new Map<string, Promise<unknown>>()
  return function run<T>(key: string, load: () => Promise<T>): Promise<T> {
    const existing = inFlight.get(key)
    if (existing) return existing as Promise<T>
    const promise = load().finally(() => inFlight.delete(key))
    inFlight.set(key, promise)
    return promise
  }
}
