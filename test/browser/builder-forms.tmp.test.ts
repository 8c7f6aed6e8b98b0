// TEMPORARY (H6): screenshots of every node type's form; deleted before hand-over
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chromiumInstalled } from '../support/chromium.js'
import { startConsole, type ConsoleHarness } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

vi.setConfig({ testTimeout: 600_000 })
describe.skipIf(!chromiumInstalled)('forms', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  beforeAll(async () => {
    h = await startConsole()
    admin = await h.user('admin', 'Forms')
  }, 120_000)
  afterAll(async () => {
    await h?.close()
  })
  it('shoots', async () => {
    const api = (method: string, url: string, payload?: unknown) =>
      h.t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin.token) })
    const types = (JSON.parse((await api('GET', '/api/v1/node-types')).payload) as Array<{ type: string }>).map((t) => t.type)
    const only = process.env.H6_TYPES?.split(',')
    const nodes = types.filter((t) => !only || only.includes(t) || t === 'start').map((type, i) => ({ id: type, type, config: {}, position: { x: (i % 6) * 300, y: Math.floor(i / 6) * 200 } }))
    const created = await api('POST', '/api/v1/flows', { name: 'Forms', kind: 'bot', document: { schemaVersion: 1, nodes, edges: [] } })
    expect(created.statusCode, created.payload).toBe(201)
    const { id } = JSON.parse(created.payload) as { id: string }
    mkdirSync('/tmp/h6-forms', { recursive: true })
    for (const locale of (process.env.H6_LOCALES ?? 'en,zh-CN').split(',') as Array<'en' | 'zh-CN'>) {
      const { page } = await h.signedIn(admin.email, locale, { width: 1280, height: 1400 })
      await page.goto(`${h.base}/builder/flows/${id}`)
      await page.locator('.react-flow__node').first().waitFor()
      for (const n of nodes) {
        if (n.type === 'start') continue
        await page.evaluate((nid) => {
          const el = document.querySelector(`.react-flow__node[data-id="${nid}"]`) as HTMLElement
          el.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }))
          el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }))
          el.click()
        }, n.id)
        await page.locator(`.sb-node-form[data-node-id="${n.id}"]`).waitFor({ timeout: 5000 }).catch(() => undefined)
        await page.locator('.sb-side').screenshot({ path: `/tmp/h6-forms/${n.type}-${locale}.png` })
      }
    }
  })
})
