import { describe, expect, it } from 'vitest'
import { MAX_DEPTH, parsePluginJson } from './plugin-json.js'

describe('parsePluginJson', () => {
  it('drops __proto__, constructor and prototype keys at every level', () => {
    const value = parsePluginJson(
      '{"__proto__":{"polluted":true},"a":{"constructor":{"prototype":{"polluted":true}},"b":[{"__proto__":{"x":1},"c":1}]},"prototype":1}',
      10_000,
    ) as Record<string, unknown>
    expect(value).toEqual({ a: { b: [{ c: 1 }] } })
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.assign({}, value)).toEqual({ a: { b: [{ c: 1 }] } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('bounds the size and the depth', () => {
    expect(() => parsePluginJson('"' + 'x'.repeat(100) + '"', 50)).toThrow(
      expect.objectContaining({
        code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
        details: { reason: 'too-large', limit: 50 },
      }),
    )
    const deep = '['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1)
    expect(() => parsePluginJson(deep, 10_000)).toThrow(expect.objectContaining({ details: { reason: 'too-deep' } }))
    const fine = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)
    expect(() => parsePluginJson(fine, 10_000)).not.toThrow()
  })

  it('refuses what is not JSON text', () => {
    expect(() => parsePluginJson('{nope', 100)).toThrow(expect.objectContaining({ details: { reason: 'not-json' } }))
    expect(() => parsePluginJson({ a: 1 }, 100)).toThrow(expect.objectContaining({ details: { reason: 'not-json' } }))
  })
})
