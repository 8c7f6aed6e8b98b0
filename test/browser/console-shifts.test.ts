import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generateMonthHistory } from '../fixtures/month-history.js'
import { chromiumInstalled } from '../support/chromium.js'
import { consoleBuilt, startConsole, type ConsoleHarness, type ConsolePage } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

vi.setConfig({ testTimeout: 90_000 })

const root = join(import.meta.dirname, '../..')
const docsImages = join(root, 'docs', 'images', 'console')
const TALL = { width: 1440, height: 1400 }

type User = { id: string; email: string; token: string }

/**
 * The shifts page and the staffing beside the forecast, in real Chromium: a supervisor plans a
 * week pattern for two agents, is refused an overlapping shift with the reason, edits and deletes
 * one; the forecast then shows scheduled and actual agents beside the required ones, with the
 * hours short of agents highlighted. Screenshots in English and Chinese for the guide.
 */
describe.skipIf(!chromiumInstalled || !consoleBuilt)('console: shifts and staffing', () => {
  let h: ConsoleHarness
  let supervisor: User
  let liNa: User
  let wangWei: User

  function watch(session: ConsolePage) {
    session.page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('Failed to load resource')) session.errors.push(m.text())
    })
    return session
  }

  beforeAll(async () => {
    h = await startConsole()
    supervisor = await h.user('supervisor', 'Zhou Min')
    liNa = await h.user('agent', 'Li Na')
    wangWei = await h.user('agent', 'Wang Wei')
    const now = Date.now()
    await generateMonthHistory(h.t.app.db, {
      seed: 5,
      start: new Date(Math.floor(now / 3_600_000) * 3_600_000 - 28 * 86_400_000),
      days: 28,
    })
    // Li Na has been at work for two hours (the presence log), and says so now
    await h.t.app.db.agentPresenceChange.create({
      data: { userId: liNa.id, presence: 'available', at: new Date(now - 2 * 3_600_000) },
    })
    await h.t.app.server.inject({
      method: 'PUT',
      url: '/api/v1/agents/me/presence',
      headers: bearer(liNa.token),
      payload: { presence: 'available' },
    })
    mkdirSync(docsImages, { recursive: true })
  }, 180_000)
  afterAll(async () => h?.close())

  it('plans a week pattern, refuses an overlap with its reason, edits and deletes a shift', async () => {
    const s = watch(await h.signedIn(supervisor.email, 'en', TALL))
    await s.open('/shifts')
    await s.page.locator('[data-test=shifts-page][data-ready=true]').waitFor()
    await s.page.click('[data-test=shifts-bulk]')
    const bulk = s.page.locator('[data-test=bulk-form]')
    await bulk.locator('label', { hasText: 'Li Na' }).locator('input').check()
    await bulk.locator('label', { hasText: 'Wang Wei' }).locator('input').check()
    for (const day of ['Sat', 'Sun']) await bulk.locator('label.check', { hasText: day }).locator('input').check()
    await s.page.fill('[data-test=bulk-from]', '00:00')
    await s.page.fill('[data-test=bulk-to]', '12:00')
    await s.page.click('[data-test=bulk-save]')
    await expect.poll(() => s.page.locator('[data-test=shift-chip]').count()).toBe(14)
    expect(await h.t.app.db.agentShift.count()).toBe(14)

    // one more for Li Na that overlaps her pattern: refused, with the reason
    const liRow = s.page.locator(`[data-test=shifts-row][data-user="${liNa.id}"]`)
    await liRow.locator('td.day').first().locator('[data-test=shift-add]').click()
    await s.page.fill('[data-test=shift-from]', '10:00')
    await s.page.fill('[data-test=shift-to]', '14:00')
    await s.page.click('[data-test=shift-save]')
    await expect.poll(() => s.page.locator('[data-test=shift-error]').innerText()).toContain('already has a shift')
    // moved to the afternoon it fits
    await s.page.fill('[data-test=shift-from]', '13:00')
    await s.page.click('[data-test=shift-save]')
    await expect.poll(() => s.page.locator('[data-test=shift-chip]').count()).toBe(15)

    // Wang Wei's Sunday shift: changed to end at 15:00, then deleted
    const wangSunday = s.page.locator(
      `[data-test=shifts-row][data-user="${wangWei.id}"] td[data-day=sun] [data-test=shift-chip]`,
    )
    await wangSunday.click()
    await s.page.fill('[data-test=shift-to]', '15:00')
    await s.page.click('[data-test=shift-save]')
    await expect.poll(() => wangSunday.innerText()).toContain('00:00–15:00')
    await wangSunday.click()
    await s.page.click('[data-test=shift-delete]')
    await expect.poll(() => s.page.locator('[data-test=shift-chip]').count()).toBe(14)
    await s.screenshot('shifts-week-en')
    copyFileSync(join(root, 'test-results', 'console', 'shifts-week-en.png'), join(docsImages, 'shifts-week-en.png'))
    expect(s.errors).toEqual([])

    const zh = watch(await h.signedIn(supervisor.email, 'zh-CN', TALL))
    await zh.open('/shifts')
    await zh.page.locator('[data-test=shifts-page][data-ready=true]').waitFor()
    expect(await zh.page.locator('h1').innerText()).toBe('排班')
    await zh.page.click('[data-test=shifts-bulk]')
    await zh.page.locator('[data-test=bulk-form]').waitFor()
    await zh.screenshot('shifts-pattern-zh-CN')
    copyFileSync(
      join(root, 'test-results', 'console', 'shifts-pattern-zh-CN.png'),
      join(docsImages, 'shifts-pattern-zh-CN.png'),
    )
    expect(zh.errors).toEqual([])
  })

  it('shows scheduled and actual agents beside the required ones, the shortfall highlighted', async () => {
    const s = watch(await h.signedIn(supervisor.email, 'en', TALL))
    await s.open('/reports/forecast')
    await s.page.locator('.forecast[data-ready=true]').waitFor()
    await expect.poll(() => s.page.locator('[data-test=forecast-past]').count()).toBe(24)
    const api = await h.t.app.server.inject({
      method: 'GET',
      url: '/api/v1/analytics/forecast?horizon=48&serviceLevel=0.8&targetSeconds=20&weeks=6&pastHours=24',
      headers: bearer(supervisor.token),
    })
    const forecast = JSON.parse(api.payload) as {
      intervals: Array<{ kind: string; scheduled: number; actual: number | null; gap: number }>
    }
    const ahead = forecast.intervals.filter((i) => i.kind === 'forecast')
    const shown = await s.page.locator('[data-test=staffing-scheduled]').allInnerTexts()
    expect(shown.map(Number)).toEqual(ahead.map((i) => i.scheduled))
    // the current hour: Li Na has been available since it began
    const actualNow = await s.page
      .locator('[data-test=forecast-interval] [data-test=staffing-actual]')
      .first()
      .innerText()
    expect(Number(actualNow)).toBe(1)
    expect(ahead[0]!.actual).toBe(1)
    expect(ahead[1]!.actual).toBeNull()
    const short = ahead.filter((i) => i.gap < 0).length
    expect(short).toBeGreaterThan(0)
    expect(await s.page.locator('[data-test=forecast-interval] .gap.short').count()).toBe(short)
    expect(await s.page.locator('[data-test=forecast-short]').innerText()).toContain(`${short} hours short`)
    await s.page.waitForTimeout(1200)
    await s.screenshot('reports-staffing-en')
    copyFileSync(
      join(root, 'test-results', 'console', 'reports-staffing-en.png'),
      join(docsImages, 'reports-staffing-en.png'),
    )
    expect(s.errors).toEqual([])

    const zh = watch(await h.signedIn(supervisor.email, 'zh-CN', TALL))
    await zh.open('/reports/forecast')
    await zh.page.locator('.forecast[data-ready=true]').waitFor()
    await expect.poll(() => zh.page.locator('[data-test=forecast-past]').count()).toBe(24)
    expect(await zh.page.locator('.hours th').allInnerTexts()).toEqual(
      expect.arrayContaining(['排班', '实际在岗', '差额']),
    )
    await zh.page.waitForTimeout(1200)
    await zh.screenshot('reports-staffing-zh-CN')
    copyFileSync(
      join(root, 'test-results', 'console', 'reports-staffing-zh-CN.png'),
      join(docsImages, 'reports-staffing-zh-CN.png'),
    )
    expect(zh.errors).toEqual([])
  })
})
