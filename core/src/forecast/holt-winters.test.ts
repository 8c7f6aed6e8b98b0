import { describe, expect, it } from 'vitest'
import { backtestHoltWinters, fitHoltWinters } from './holt-winters.js'

/** a deterministic pseudo-random generator (mulberry32) so the noise is the same on every run */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** hourly volumes with a daily shape, quieter weekends and a slow upward trend */
function hourlyVolumes(weeks: number, noise: number, seed = 7) {
  const random = seeded(seed)
  return Array.from({ length: weeks * 168 }, (_, t) => {
    const hour = t % 24
    const day = Math.floor(t / 24) % 7
    const daily = hour < 8 ? 2 : hour < 12 ? 30 : hour < 14 ? 22 : hour < 18 ? 28 : hour < 22 ? 14 : 4
    const weekly = day >= 5 ? 0.5 : 1
    return Math.max(0, Math.round(daily * weekly * (1 + t / 5000) + (random() - 0.5) * 2 * noise))
  })
}

describe('Holt-Winters', () => {
  it('reproduces a noiseless weekly pattern almost exactly', () => {
    const series = hourlyVolumes(4, 0)
    const model = fitHoltWinters(series, 168)
    const next = hourlyVolumes(5, 0).slice(4 * 168, 4 * 168 + 48)
    const forecast = model.forecast(48)
    const maxError = Math.max(...forecast.map((f, i) => Math.abs(f - next[i]!)))
    // the generator's trend is multiplicative and its values rounded: an additive model is close, not exact
    expect(maxError).toBeLessThan(3)
  })

  it('beats the seasonal naïve forecast on noisy volumes in a 48-hour back-test', () => {
    const series = hourlyVolumes(5, 6)
    const result = backtestHoltWinters(series, 168, 48)
    expect(result.forecast).toHaveLength(48)
    // the noise alone (±6 on ~13 contacts an hour, quiet weekend hours at the end) puts WAPE near 0.3
    expect(result.wape).toBeLessThan(0.4)
    expect(result.mae).toBeLessThan(result.naive.mae)
    expect(result.wape).toBeLessThan(result.naive.wape)
    expect(result.forecast.every((v) => v >= 0)).toBe(true)
  })

  it('says what is wrong with too little or bad history', () => {
    expect(() => fitHoltWinters([1, 2, 3], 168)).toThrow(/two seasons/)
    expect(() => fitHoltWinters([...Array(400).fill(1), Number.NaN], 168)).toThrow(/finite/)
    expect(() => backtestHoltWinters(hourlyVolumes(2, 0), 168, 48)).toThrow(/needs/)
  })
})
