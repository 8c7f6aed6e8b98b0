import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { keepLockAlive } from './keep-lock-alive.js'
import type { Lock } from './types.js'

/** a lock that records its extensions and answers them with `kept` */
function recordingLock(kept: () => boolean) {
  const extensions: number[] = []
  const lock: Lock = {
    name: 'pass',
    release: async () => true,
    extend: async (ttlMs) => {
      extensions.push(ttlMs)
      return kept()
    },
  }
  return { lock, extensions }
}

describe('keepLockAlive', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('renews the lock every third of its time to live until stopped', async () => {
    const { lock, extensions } = recordingLock(() => true)
    const stop = keepLockAlive(lock, 3000)
    await vi.advanceTimersByTimeAsync(9000)
    expect(extensions).toEqual([3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000])
    stop()
    await vi.advanceTimersByTimeAsync(9000)
    expect(extensions).toHaveLength(9)
  })

  it('says when a renewal finds the lock gone (expired and taken by another holder)', async () => {
    let kept = true
    const { lock } = recordingLock(() => kept)
    let lost = 0
    const stop = keepLockAlive(lock, 3000, () => lost++)
    await vi.advanceTimersByTimeAsync(1000)
    expect(lost).toBe(0)
    kept = false
    await vi.advanceTimersByTimeAsync(1000)
    expect(lost).toBe(1)
    stop()
  })
})
