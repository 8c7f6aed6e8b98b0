import { describe, expect, it } from 'vitest'
import { createMemoryBus } from '../infra/memory/memory-bus.js'
import { createIndexCache } from './index-cache.js'

const tick = () => new Promise((r) => setImmediate(r))

describe('createIndexCache', () => {
  it('builds on first use, shares one build between concurrent callers, rebuilds after a change', async () => {
    const bus = createMemoryBus(() => {})
    let builds = 0
    const cache = createIndexCache({ bus, topic: 'test.changed', build: async () => ++builds })
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([1, 1, 1])
    expect(await cache.get()).toBe(1)
    await cache.changed()
    expect(await cache.get()).toBe(2)
  })

  it('drops its index when another instance announces a change on the bus', async () => {
    const bus = createMemoryBus(() => {})
    let version = 0
    const here = createIndexCache({ bus, topic: 'test.changed', build: async () => version })
    const there = createIndexCache({ bus, topic: 'test.changed', build: async () => version })
    expect(await here.get()).toBe(0)
    version = 1
    await there.changed()
    await tick()
    expect(await here.get()).toBe(1)
  })

  it('rebuilds when the data changed while it was building', async () => {
    const bus = createMemoryBus(() => {})
    let version = 0
    let release: () => void = () => {}
    const cache = createIndexCache({
      bus,
      topic: 'test.changed',
      build: async () => {
        const seen = version
        if (seen === 0) await new Promise<void>((r) => (release = r))
        return seen
      },
    })
    const pending = cache.get()
    await tick()
    version = 1
    await cache.changed()
    release()
    expect(await pending).toBe(1)
  })

  it('forgets a failed build, so the next call tries again', async () => {
    const bus = createMemoryBus(() => {})
    let fail = true
    const cache = createIndexCache({
      bus,
      topic: 'test.changed',
      build: async () => {
        if (fail) throw new Error('database down')
        return 'ok'
      },
    })
    await expect(cache.get()).rejects.toThrow('database down')
    fail = false
    expect(await cache.get()).toBe('ok')
  })
})
