import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtPluginCopy } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const root = join(import.meta.dirname, '../..')

/**
 * The API the admin pages add: the business-hours preview (the schedule editor's "open now,
 * closes at …") and installing a plugin from a folder on the server.
 */
describe('admin console API', () => {
  let t: TestApp
  let admin: string
  let supervisor: string
  let built: { dir: string; remove(): void }

  beforeAll(async () => {
    t = await createTestApp()
    admin = (await t.tokenFor('admin')).token
    supervisor = (await t.tokenFor('supervisor')).token
    built = await builtPluginCopy(join(root, 'test/fixtures/plugins/test-echo'))
  }, 120_000)
  afterAll(async () => {
    built?.remove()
    await t?.close()
  })

  const preview = (payload: object, token = supervisor) =>
    t.app.server.inject({ method: 'POST', url: '/api/v1/business-hours/preview', headers: bearer(token), payload })
  const weekdays = {
    timezone: 'Asia/Shanghai',
    weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] },
    closedDates: ['2026-11-24'],
  }

  it('previews business hours: open with the closing time, closed with the next opening', async () => {
    // Monday 2026-11-23 10:00 in Shanghai is 02:00 UTC
    const open = await preview({ businessHours: weekdays, at: '2026-11-23T02:00:00Z' })
    expect(open.statusCode, open.payload).toBe(200)
    expect(JSON.parse(open.payload)).toMatchObject({
      open: true,
      nextChangeAt: '2026-11-23T10:00:00.000Z',
      timezone: 'Asia/Shanghai',
    })
    // Monday 20:00: Tuesday is a closed date, so the next opening is the Monday after
    const closed = await preview({ businessHours: weekdays, at: '2026-11-23T12:00:00Z' })
    expect(JSON.parse(closed.payload)).toMatchObject({ open: false, nextChangeAt: '2026-11-30T01:00:00.000Z' })
  })

  it('names the wrong field of a schedule: a range that ends before it starts, an unknown time zone', async () => {
    const res = await preview({
      businessHours: { ...weekdays, timezone: 'Mars/Olympus', weekly: { mon: [['18:00', '09:00']] } },
    })
    expect(res.statusCode).toBe(400)
    const body = JSON.parse(res.payload) as { code: string; details: { path: string; message: string }[] }
    expect(body.code).toBe('SB_ERR_VALIDATION')
    const paths = body.details.map((d) => d.path)
    expect(paths).toContain('businessHours.timezone')
    expect(paths).toContain('businessHours.weekly.mon.0')
    expect(body.details.find((d) => d.path === 'businessHours.weekly.mon.0')!.message).toMatch(/ends before it starts/)
  })

  it('installs a built plugin from a folder on the server, once; upgrade replaces it', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins/install-folder',
      headers: bearer(admin),
      payload: { path: built.dir },
    })
    expect(res.statusCode, res.payload).toBe(201)
    expect(JSON.parse(res.payload)).toMatchObject({ name: 'test-echo', version: '1.0.0' })
    const again = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins/install-folder',
      headers: bearer(admin),
      payload: { path: built.dir },
    })
    expect(again.statusCode).toBe(409)
    const upgrade = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins/install-folder',
      headers: bearer(admin),
      payload: { path: built.dir, upgrade: true },
    })
    expect(upgrade.statusCode, upgrade.payload).toBe(201)
    const audit = await t.app.db.auditEvent.findMany({ where: { targetId: 'test-echo' } })
    expect(audit.length).toBeGreaterThan(0)
  })

  it('refuses a folder that is not a built plugin with a 400 that says why', async () => {
    const missing = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins/install-folder',
      headers: bearer(admin),
      payload: { path: join(root, 'no-such-folder') },
    })
    expect(missing.statusCode).toBe(400)
    expect(JSON.parse(missing.payload).message).toMatch(/is not a folder/)
    const unbuilt = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins/install-folder',
      headers: bearer(admin),
      payload: { path: join(root, 'docs') },
    })
    expect(unbuilt.statusCode).toBe(400)
    expect(JSON.parse(unbuilt.payload).message).toMatch(/dist\/manifest\.json/)
    const empty = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins/install-folder',
      headers: bearer(admin),
      payload: { path: '' },
    })
    expect(empty.statusCode).toBe(400)
    expect(JSON.parse(empty.payload).details[0].path).toBe('path')
  })
})
