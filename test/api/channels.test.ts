import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const root = join(import.meta.dirname, '../..')
let t: TestApp
let admin: string
let supervisor: string
let agent: string
const builds: Array<{ remove(): void }> = []
beforeAll(async () => {
  t = await createTestApp()
  admin = (await t.tokenFor('admin')).token
  supervisor = (await t.tokenFor('supervisor')).token
  agent = (await t.tokenFor('agent')).token
  const built = await builtPluginCopy(join(root, 'plugins', 'channel-wechat-oa'))
  builds.push(built)
  await t.app.services.plugins.install({ dir: built.dir }, { actor: systemActor('test') })
}, 120_000)
afterAll(async () => {
  await t?.close()
  for (const b of builds) b.remove()
})

const json = (res: { payload: string }) => JSON.parse(res.payload)
const as = (token: string, method: string, url: string, payload?: unknown) =>
  t.app.server.inject({ method, url, payload: payload as object, headers: bearer(token) })

describe('GET /api/v1/channels', () => {
  it('lists the core channels and the channel plugins’ channels, each with the flow that answers it', async () => {
    const before = json(await as(supervisor, 'GET', '/api/v1/channels')) as Array<Record<string, unknown>>
    expect(before.map((c) => [c.name, c.source, c.entryFlow])).toEqual([
      ['webchat', 'core', null],
      ['voice', 'core', null],
      ['wechat-oa', 'channel-wechat-oa', null],
    ])
    expect(before.find((c) => c.name === 'wechat-oa')).toMatchObject({
      title: { en: 'WeChat Official Account', 'zh-CN': '微信公众号' },
    })

    const flow = json(await as(admin, 'POST', '/api/v1/flows', { name: 'Phone menu', kind: 'ivr' }))
    const trigger = await as(admin, 'POST', `/api/v1/flows/${flow.id}/triggers`, {
      kind: 'channel-entry',
      config: { channel: 'voice' },
    })
    expect(trigger.statusCode).toBe(201)
    const after = json(await as(supervisor, 'GET', '/api/v1/channels')) as Array<Record<string, unknown>>
    expect(after.find((c) => c.name === 'voice')!.entryFlow).toEqual({
      flowId: flow.id,
      flowName: 'Phone menu',
      triggerId: json(trigger).id,
    })
    expect(after.find((c) => c.name === 'webchat')!.entryFlow).toBeNull()

    // removing the trigger frees the channel again
    await as(admin, 'DELETE', `/api/v1/flows/${flow.id}/triggers/${json(trigger).id}`)
    const freed = json(await as(supervisor, 'GET', '/api/v1/channels')) as Array<Record<string, unknown>>
    expect(freed.find((c) => c.name === 'voice')!.entryFlow).toBeNull()
  })

  it('is for supervisors and admins', async () => {
    expect((await as(agent, 'GET', '/api/v1/channels')).statusCode).toBe(403)
    expect((await as(admin, 'GET', '/api/v1/channels')).statusCode).toBe(200)
  })
})

describe('GET /api/v1/flow-triggers/schedule-preview', () => {
  it('gives the next runs of a cron schedule in its time zone', async () => {
    const res = await as(
      supervisor,
      'GET',
      `/api/v1/flow-triggers/schedule-preview?cron=${encodeURIComponent('0 9 * * 1-5')}&timezone=Asia/Shanghai`,
    )
    expect(res.statusCode).toBe(200)
    const next = json(res).next as string[]
    expect(next).toHaveLength(3)
    const now = Date.now()
    for (const at of next) {
      const d = new Date(at)
      expect(d.getTime()).toBeGreaterThan(now)
      // 09:00 in Shanghai is 01:00 UTC, on a weekday there
      expect([d.getUTCHours(), d.getUTCMinutes()]).toEqual([1, 0])
      const weekday = new Date(d.getTime() + 8 * 3600_000).getUTCDay()
      expect(weekday).toBeGreaterThanOrEqual(1)
      expect(weekday).toBeLessThanOrEqual(5)
    }
    expect([...next].sort()).toEqual(next)
    expect(new Set(next).size).toBe(3)
  })

  it('refuses a wrong cron expression or time zone with a 400 that says why', async () => {
    const bad = await as(
      supervisor,
      'GET',
      `/api/v1/flow-triggers/schedule-preview?cron=${encodeURIComponent('61 9 * * *')}`,
    )
    expect(bad.statusCode).toBe(400)
    expect(json(bad).message).toContain('61 9 * * *')
    const zone = await as(
      supervisor,
      'GET',
      `/api/v1/flow-triggers/schedule-preview?cron=${encodeURIComponent('0 9 * * *')}&timezone=Mars/Olympus`,
    )
    expect(zone.statusCode).toBe(400)
    expect(json(zone).message).toContain('Mars/Olympus')
  })
})
