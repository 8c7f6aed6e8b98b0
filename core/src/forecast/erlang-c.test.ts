import { describe, expect, it } from 'vitest'
import { erlangC, requiredAgents, serviceLevelFor } from './erlang-c.js'

describe('Erlang C', () => {
  // the worked example of callcentrehelper.com's "Erlang C formula – made simple": 100 calls in 30 minutes,
  // 180 s handle time (10 Erlangs), 80 % answered within 20 s; its table of agents → P(wait), service level
  it.each([
    [11, 0.6821, 0.3897],
    [12, 0.4494, 0.6402],
    [13, 0.2853, 0.7956],
    [14, 0.1741, 0.8884],
  ])('%i agents for 10 Erlangs: P(wait) %f, service level %f', (agents, pWait, level) => {
    expect(erlangC(agents, 10)).toBeCloseTo(pWait, 3)
    expect(serviceLevelFor(agents, 10, 180, 20)).toBeCloseTo(level, 3)
  })

  it('staffs the worked example with 14 agents (88.8 % in 20 s, ASA ~7.8 s, occupancy 71 %)', () => {
    const result = requiredAgents({
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      serviceLevel: 0.8,
      targetSeconds: 20,
    })
    expect(result.trafficErlangs).toBe(10)
    expect(result.agents).toBe(14)
    expect(result.serviceLevel).toBeCloseTo(0.8884, 3)
    expect(result.averageSpeedOfAnswer).toBeCloseTo(7.83, 1)
    expect(result.occupancy).toBeCloseTo(10 / 14, 6)
  })

  it('stays finite for large centres (400 Erlangs) and needs no agents when nothing arrives', () => {
    const large = requiredAgents({
      arrivals: 8000,
      intervalSeconds: 3600,
      ahtSeconds: 180,
      serviceLevel: 0.9,
      targetSeconds: 15,
    })
    expect(large.trafficErlangs).toBe(400)
    expect(large.agents).toBeGreaterThan(400)
    expect(large.agents).toBeLessThan(440)
    expect(Number.isFinite(large.probabilityOfWaiting)).toBe(true)
    expect(
      requiredAgents({ arrivals: 0, intervalSeconds: 1800, ahtSeconds: 180, serviceLevel: 0.8, targetSeconds: 20 })
        .agents,
    ).toBe(0)
  })

  it('refuses impossible inputs with a clear error', () => {
    expect(() =>
      requiredAgents({ arrivals: 10, intervalSeconds: 0, ahtSeconds: 180, serviceLevel: 0.8, targetSeconds: 20 }),
    ).toThrow(/intervalSeconds/)
    expect(() =>
      requiredAgents({ arrivals: 10, intervalSeconds: 1800, ahtSeconds: 180, serviceLevel: 1.2, targetSeconds: 20 }),
    ).toThrow(/serviceLevel/)
  })
})
