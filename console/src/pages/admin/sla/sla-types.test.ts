import { describe, expect, it } from 'vitest'
import { fromMinutes, splitList, toMinutes } from './sla-types'

describe('SLA policy form values', () => {
  it('turns a target in minutes or hours into minutes, and blank into none', () => {
    expect(toMinutes(15, 'min')).toBe(15)
    expect(toMinutes(4, 'h')).toBe(240)
    expect(toMinutes(1.5, 'h')).toBe(90)
    expect(toMinutes('', 'h')).toBeUndefined()
    expect(toMinutes(null, 'min')).toBeUndefined()
  })

  it('shows whole hours in hours and the rest in minutes', () => {
    expect(fromMinutes(240)).toEqual({ value: 4, unit: 'h' })
    expect(fromMinutes(90)).toEqual({ value: 90, unit: 'min' })
    expect(fromMinutes(15)).toEqual({ value: 15, unit: 'min' })
    expect(fromMinutes(undefined)).toEqual({ value: '', unit: 'min' })
  })

  it('splits a typed list on commas (also the Chinese one) and lines, without blanks or repeats', () => {
    expect(splitList('refund, delivery ,, vip\nrefund，物流')).toEqual(['refund', 'delivery', 'vip', '物流'])
    expect(splitList('  ')).toEqual([])
  })
})
