import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Lock, LockManager } from '../types.js'
import { runWithLock, sleep } from '../with-lock.js'

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`

/** Locks as Redis keys set with NX and a TTL; only the holder's token can release or extend. */
export function createRedisLocks(redis: Redis, prefix: string): LockManager {
  const keyOf = (name: string) => `${prefix}lock:${name}`

  function lockFor(name: string, token: string): Lock {
    return {
      name,
      async release() {
        return (await redis.eval(RELEASE, 1, keyOf(name), token)) === 1
      },
      async extend(ttlMs) {
        return (await redis.eval(EXTEND, 1, keyOf(name), token, String(Math.ceil(ttlMs)))) === 1
      },
    }
  }

  const manager: LockManager = {
    async acquire(name, { ttlMs, waitMs = 0 }) {
      const deadline = Date.now() + waitMs
      const token = randomUUID()
      for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
        const ok = await redis.set(keyOf(name), token, 'PX', Math.ceil(ttlMs), 'NX')
        if (ok === 'OK') return lockFor(name, token)
        if (Date.now() >= deadline) return null
        await sleep(Math.min(delay, Math.max(1, deadline - Date.now())))
      }
    },
    async withLock(name, options, fn) {
      return runWithLock(name, await manager.acquire(name, options), fn)
    },
    async close() {},
  }
  return manager
}
