import { randomUUID } from 'node:crypto'
import type { Lock, LockManager } from '../types.js'
import { runWithLock, sleep } from '../with-lock.js'

export function createMemoryLocks(): LockManager {
  const held = new Map<string, { token: string; expiresAt: number }>()

  function tryTake(name: string, ttlMs: number): string | null {
    const current = held.get(name)
    if (current && current.expiresAt > Date.now()) return null
    const token = randomUUID()
    held.set(name, { token, expiresAt: Date.now() + ttlMs })
    return token
  }

  function lockFor(name: string, token: string): Lock {
    const isMine = () => {
      const current = held.get(name)
      return current !== undefined && current.token === token && current.expiresAt > Date.now()
    }
    return {
      name,
      async release() {
        if (!isMine()) return false
        held.delete(name)
        return true
      },
      async extend(ttlMs) {
        if (!isMine()) return false
        held.set(name, { token, expiresAt: Date.now() + ttlMs })
        return true
      },
    }
  }

  const manager: LockManager = {
    async acquire(name, { ttlMs, waitMs = 0 }) {
      const deadline = Date.now() + waitMs
      for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
        const token = tryTake(name, ttlMs)
        if (token) return lockFor(name, token)
        if (Date.now() >= deadline) return null
        await sleep(Math.min(delay, Math.max(1, deadline - Date.now())))
      }
    },
    async withLock(name, options, fn) {
      return runWithLock(name, await manager.acquire(name, options), fn)
    },
    async close() {
      held.clear()
    },
  }
  return manager
}
