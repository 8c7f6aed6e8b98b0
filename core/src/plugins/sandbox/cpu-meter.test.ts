import { describe, expect, it } from 'vitest'
import { createCpuMeter, ORPHAN } from './cpu-meter.js'

describe('createCpuMeter', () => {
  it('shares the CPU used between ticks evenly among the calls running', () => {
    const meter = createCpuMeter(100n)
    meter.start(1, 0n)
    meter.start(2, 40n) // call 1 alone used 40
    expect(meter.tick(100n)).toEqual([]) // 30 each: 1 → 70, 2 → 30
    expect(meter.tick(180n)).toEqual([1]) // 40 each: 1 → 110, 2 → 70
    meter.stop(1, 180n)
    expect(meter.tick(200n)).toEqual([]) // 2 alone: 90
    expect(meter.tick(220n)).toEqual([2])
    meter.stop(2, 220n)
    expect(meter.size).toBe(0)
  })

  it('charges nothing for time when no call was running and the isolate was idle', () => {
    const meter = createCpuMeter(100n)
    meter.tick(0n)
    meter.start(1, 1_000n)
    expect(meter.tick(1_050n)).toEqual([])
  })

  it('reports work left running after the last call ended, until the isolate goes idle', () => {
    const meter = createCpuMeter(100n)
    meter.start(1, 0n)
    meter.stop(1, 10n)
    expect(meter.tick(60n)).toEqual([])
    expect(meter.idle).toBe(false)
    expect(meter.tick(120n)).toEqual([ORPHAN])

    const calm = createCpuMeter(100n)
    calm.start(1, 0n)
    calm.stop(1, 10n)
    expect(calm.tick(60n)).toEqual([]) // a little work after the call
    expect(calm.tick(60n)).toEqual([]) // then nothing: idle, and the count starts again
    expect(calm.idle).toBe(true)
    expect(calm.tick(140n)).toEqual([])
  })
})
