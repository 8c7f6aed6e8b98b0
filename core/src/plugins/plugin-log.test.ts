import { describe, expect, it } from 'vitest'
import { MAX_LOG_FIELDS_CHARS, MAX_LOG_MESSAGE_CHARS, PluginLog } from './plugin-log.js'

const size = (value: unknown) => JSON.stringify(value).length

describe('plugin log', () => {
  it('keeps the newest entries first, at most its capacity', () => {
    const log = new PluginLog(3)
    for (let i = 0; i < 5; i++) log.add('info', `line ${i}`)
    expect(log.recent().map((e) => e.message)).toEqual(['line 4', 'line 3', 'line 2'])
    expect(log.recent(1)).toMatchObject([{ level: 'info', message: 'line 4' }])
  })

  it('keeps small fields whole, as a copy', () => {
    const log = new PluginLog()
    const fields = { orderNumber: '1001', nested: { ok: true } }
    log.add('warn', 'slow answer', fields)
    fields.nested.ok = false
    expect(log.recent()[0]!.fields).toEqual({ orderNumber: '1001', nested: { ok: true } })
  })

  it('truncates fields larger than 4 KB of JSON to a string under fields.truncated', () => {
    const log = new PluginLog()
    log.add('error', 'dump', { body: 'x'.repeat(2 * 1024 * 1024) })
    const [entry] = log.recent()
    expect(Object.keys(entry!.fields!)).toEqual(['truncated'])
    const truncated = entry!.fields!.truncated as string
    expect(truncated.startsWith('{"body":"xxx')).toBe(true)
    expect(truncated.length).toBeLessThanOrEqual(MAX_LOG_FIELDS_CHARS)
    expect(size(entry)).toBeLessThan(MAX_LOG_FIELDS_CHARS + 200)
  })

  it('cuts long messages', () => {
    const log = new PluginLog()
    log.add('info', 'm'.repeat(100_000))
    expect(log.recent()[0]!.message.length).toBeLessThanOrEqual(MAX_LOG_MESSAGE_CHARS)
  })

  it('survives fields that are not JSON', () => {
    const log = new PluginLog()
    const circular: Record<string, unknown> = { a: 1 }
    circular.self = circular
    log.add('info', 'circular', circular)
    log.add('info', 'bigint', { n: 10n })
    const [bigint, cyclic] = log.recent()
    expect(typeof cyclic!.fields!.truncated).toBe('string')
    expect(typeof bigint!.fields!.truncated).toBe('string')
  })

  it('keeps the total of one plugin’s entries bounded', () => {
    const log = new PluginLog()
    for (let i = 0; i < 1000; i++)
      log.add('info', `${i} ${'m'.repeat(5000)}`, { blob: 'f'.repeat(MAX_LOG_FIELDS_CHARS - 20) })
    const entries = log.recent(1000)
    expect(size(entries)).toBeLessThanOrEqual(log.maxTotalChars + entries.length * 100)
    expect(entries[0]!.message.startsWith('999 ')).toBe(true)
    expect(entries.length).toBeGreaterThan(10)
  })
})
