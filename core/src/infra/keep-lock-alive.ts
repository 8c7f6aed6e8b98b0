import type { Lock } from './types.js'

/**
 * Extends a held lock every third of its time-to-live until the returned function is called, so
 * that work longer than the TTL keeps the lock while a holder that dies (a crash, kill -9) loses
 * it within one TTL. `onLost` is told when an extension finds the lock gone (expired and taken).
 */
export function keepLockAlive(lock: Lock, ttlMs: number, onLost: () => void = () => {}): () => void {
  const timer = setInterval(
    () => {
      lock.extend(ttlMs).then(
        (kept) => {
          if (!kept) onLost()
        },
        () => onLost(),
      )
    },
    Math.max(10, Math.floor(ttlMs / 3)),
  )
  timer.unref()
  return () => clearInterval(timer)
}
