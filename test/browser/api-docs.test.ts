import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { chromiumInstalled, launchChromium } from '../support/chromium.js'
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.js'
import { systemActor } from '../../core/src/audit/index.js'

const screenshots = join(import.meta.dirname, '..', '..', '.tmp', 'screenshots')

/**
 * The operations and tags Swagger UI renders, top to bottom. Once the list is long (150 tags and
 * operations or more) it renders only what is near the viewport, so the page is scrolled through
 * and what appears on the way is collected.
 */
async function renderedOperations(page: Page): Promise<{ operations: Set<string>; tags: string[] }> {
  const operations = new Set<string>()
  const tags: string[] = []
  for (let top = 0; ; top += 500) {
    await page.evaluate(`window.scrollTo(0, ${top})`)
    await page.waitForTimeout(30)
    const ids = await page.locator('.opblock').evaluateAll((els) => els.map((e) => e.id))
    const onPage = await page.locator('.opblock-tag').evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')))
    for (const id of ids) operations.add(id)
    for (const tag of onPage) if (tag && !tags.includes(tag)) tags.push(tag)
    if (top > Number(await page.evaluate('document.documentElement.scrollHeight'))) break
  }
  await page.evaluate('window.scrollTo(0, 0)')
  return { operations, tags }
}

describe.skipIf(!chromiumInstalled)('API reference in Chromium', () => {
  let t: TestApp
  let browser: Browser
  let base: string

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0' })
    await t.app.server.start()
    base = t.app.server.info.uri
    browser = await launchChromium()
    mkdirSync(screenshots, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('renders every operation of /api/openapi.json, grouped by tag, with no console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${base}/api/docs`)
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 })
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const operations = Object.values(spec.paths).reduce((n, p) => n + Object.keys(p).length, 0)
    const rendered = await renderedOperations(page)
    expect(rendered.operations.size).toBe(operations)
    expect(rendered.tags).toEqual([
      'auth',
      'users',
      'teams',
      'contacts',
      'conversations',
      'routing',
      'queues',
      'calendar',
      'analytics',
      'stats',
      'flows',
      'runs',
      'nlu',
      'knowledge base',
      'canned responses',
      'tickets',
      'sla',
      'callbacks',
      'surveys',
      'recurring issues',
      'quality',
      'workforce',
      'voice',
      'plugins',
      'jobs',
      'webhooks',
      'audit',
    ])
    await expect(page.locator('.info .title').innerText()).resolves.toContain('Switchboard API')
    await page.screenshot({ path: join(screenshots, 'api-docs.png'), fullPage: false })
    expect(errors).toEqual([])
  })

  it('an operation opens with its schema, and the login call can be tried from the page', async () => {
    await t.app.services.users.create(systemActor('test'), {
      email: 'docs@test.local',
      password: TEST_PASSWORD,
      role: 'admin',
    })
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
    await page.goto(`${base}/api/docs`)
    const op = page.locator('#operations-auth-postApiV1AuthLogin')
    await op.locator('.opblock-summary').first().waitFor()
    // expand it ourselves (a deep link expands asynchronously and a second click would collapse it)
    await op.locator('.opblock-summary-control').click()
    await op.locator('.try-out__btn').waitFor()
    await op.locator('.try-out__btn').click()
    await op
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ email: 'docs@test.local', password: TEST_PASSWORD }))
    await op.locator('.execute').click()
    await op.locator('.live-responses-table tbody .response-col_status').first().waitFor()
    expect(await op.locator('.live-responses-table tbody .response-col_status').first().innerText()).toContain('200')
    expect(await op.locator('.live-responses-table').innerText()).toContain('sbs_')
    await page.screenshot({ path: join(screenshots, 'api-docs-login.png'), fullPage: false })
  })
})
