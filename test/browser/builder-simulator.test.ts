import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chromiumInstalled } from '../support/chromium.js'
import { startConsole, VIEWPORTS, type ConsoleHarness } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

// a browser and a server on a loaded 2-core CI machine (two suites at once): give each step room
vi.setConfig({ testTimeout: 90_000 })

const root = join(import.meta.dirname, '../..')
const builderBuilt = existsSync(join(root, 'flow-builder', 'dist', 'index.html'))
const shots = join(root, 'test-results', 'builder')
const docsImages = join(root, 'docs', 'images', 'builder')

const example = (name: string) => JSON.parse(readFileSync(join(root, 'examples', 'flows', `${name}.json`), 'utf8'))

/** A small IVR menu: press 1 for orders, 2 for an agent. */
const ivrMenu = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
    {
      id: 'menu',
      type: 'menu',
      config: {
        prompt: 'Press 1 for orders, 2 for an agent',
        choices: [
          { key: '1', label: 'Orders' },
          { key: '2', label: 'Agent' },
        ],
      },
      position: { x: 0, y: 140 },
    },
    {
      id: 'orders',
      type: 'send-message',
      config: { text: 'Orders: please send your order number' },
      position: { x: -160, y: 300 },
    },
    { id: 'agent', type: 'handoff', config: { queue: 'After-sales' }, position: { x: 160, y: 300 } },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'menu' },
    { from: 'menu', port: '1', to: 'orders' },
    { from: 'menu', port: '2', to: 'agent' },
  ],
}

/**
 * The builder's simulator, versions and collaboration in real Chromium against a real core:
 * chat (text and DTMF), the lit path, a transcript saved as a test, all tests run, presence of
 * two editors, the stale-save conflict, a diff of two versions and a rollback.
 */
describe.skipIf(!chromiumInstalled || !builderBuilt)('flow builder: simulator, versions, collaboration', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  let other: { id: string; email: string; token: string }
  let orderFlow: string
  let ivrFlow: string

  const api = async (method: string, url: string, payload?: unknown, token = admin.token) => {
    const res = await h.t.app.server.inject({ method, url, payload: payload as object, headers: bearer(token) })
    return { status: res.statusCode, body: res.payload ? JSON.parse(res.payload) : undefined }
  }
  const shot = async (page: Page, name: string) => {
    mkdirSync(shots, { recursive: true })
    await page.screenshot({ path: join(shots, `${name}.png`) })
  }
  const openTab = (page: Page, name: RegExp) => page.getByRole('tab', { name }).click()
  const openEditor = async (page: Page, flowId: string) => {
    await page.goto(`${h.base}/builder/flows/${flowId}`)
    await page.locator('.react-flow__node').first().waitFor()
  }

  beforeAll(async () => {
    h = await startConsole()
    admin = await h.user('admin', 'Alice Wang')
    other = await h.user('admin', '李雷')
    const imported = await api('POST', '/api/v1/flows/import', { flow: example('order-status') })
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    orderFlow = imported.body.id
    const ivr = await api('POST', '/api/v1/flows', { name: 'Phone menu', kind: 'ivr', document: ivrMenu })
    expect(ivr.status, JSON.stringify(ivr.body)).toBe(201)
    ivrFlow = ivr.body.id
  }, 120_000)

  afterAll(async () => {
    await h?.close()
  })

  for (const locale of ['en', 'zh-CN'] as const)
    it(`chats with the order bot, lights the path, saves the chat as a test and runs all tests (${locale})`, async () => {
      const { page, errors } = await h.signedIn(admin.email, locale, VIEWPORTS.laptop)
      await openEditor(page, orderFlow)
      await openTab(page, locale === 'en' ? /Simulator/ : /模拟器/)
      const sim = page.getByTestId('simulator')
      // the shipped-order test's mocks (ERP and logistics) and language
      await sim.getByRole('button', { name: locale === 'en' ? 'Setup & mocks' : '初始条件与模拟数据' }).click()
      const testName = example('order-status').document.tests[0].name as string
      await sim.locator('select').first().selectOption(testName)
      await sim.locator('textarea[data-field=vars]').fill(JSON.stringify({ language: locale }))
      await sim.getByTestId('sim-setup-apply').click()
      await expect.poll(() => sim.getByTestId('sim-bot').count()).toBeGreaterThan(0)
      await sim
        .getByRole('textbox')
        .fill(locale === 'en' ? 'where is my parcel 2026111812345' : '我的快递到哪了 2026111812345')
      await sim.getByRole('button', { name: locale === 'en' ? 'Send' : '发送' }).click()
      await expect
        .poll(async () => (await sim.getByTestId('sim-bot').allTextContents()).join('\n'), { timeout: 10_000 })
        .toContain('2026111812345')
      // the path is lit with step numbers; the node it waits at is the current one
      // (the canvas renders the nodes in view only: count those)
      await expect.poll(() => page.locator('.sb-node.ov-path').count()).toBeGreaterThan(1)
      expect(await page.locator('.sb-node-overlay').count()).toBeGreaterThan(1)
      // a step of the trace focuses its node and shows what it got and gave
      await sim.getByTestId('sim-steps').getByRole('button').filter({ hasText: 'plugin-action' }).first().click()
      // the editor selects the node (its form may take the panel): back in the simulator, all is as it was
      await sim.waitFor({ state: 'detached', timeout: 3_000 }).catch(() => undefined)
      if (!(await sim.isVisible())) await openTab(page, locale === 'en' ? /Simulator/ : /模拟器/)
      await expect.poll(() => sim.getByTestId('sim-node-trace').textContent()).toMatch(/#\d+ → ok/)
      await shot(page, `simulator-${locale}`)
      await sim.locator('[data-tab=variables]').click()
      await expect.poll(() => sim.getByTestId('sim-vars').textContent()).toContain('orderNumber')

      await sim.getByTestId('sim-save-test').click()
      await sim.getByTestId('sim-save-test-confirm').click()
      await expect.poll(() => sim.locator('.fp-note--ok').count()).toBe(1)
      const saved = await api('GET', `/api/v1/flows/${orderFlow}`)
      const tests = saved.body.draft.tests as Array<{ name: string; steps: unknown[] }>
      expect(tests.length).toBe(example('order-status').document.tests.length + (locale === 'en' ? 1 : 2))
      expect(JSON.stringify(tests.at(-1)!.steps)).toContain('2026111812345')

      await sim.getByTestId('sim-run-tests').click()
      await expect
        .poll(() => sim.getByTestId('sim-tests-summary').textContent(), { timeout: 20_000 })
        .toMatch(
          locale === 'en'
            ? new RegExp(`^${tests.length} passed · 0 failed$`)
            : new RegExp(`^通过 ${tests.length} · 失败 0$`),
        )
      await shot(page, `simulator-tests-${locale}`)
      expect(errors).toEqual([])
      await page.context().close()
    }, 120_000)

  it('presses keys on an IVR menu (DTMF) and sees the hand-off', async () => {
    const { page, errors } = await h.signedIn(admin.email, 'en', VIEWPORTS.laptop)
    await openEditor(page, ivrFlow)
    await openTab(page, /Simulator/)
    const sim = page.getByTestId('simulator')
    await sim.getByTestId('sim-start').click()
    await expect
      .poll(() => sim.getByTestId('sim-bot').allTextContents())
      .toContain('Press 1 for orders, 2 for an agent')
    await sim.locator('.sim-key[data-key="2"]').click()
    await sim.getByRole('button', { name: 'Send keys' }).click()
    await expect
      .poll(() => sim.getByTestId('sim-output').allTextContents())
      .toEqual([expect.stringContaining('After-sales')])
    await expect.poll(() => page.locator('.react-flow__node[data-id="agent"] .sb-node.ov-current').count()).toBe(1)
    await shot(page, 'simulator-dtmf-en')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('two editors see each other; a stale save shows who saved and overwrites nothing', async () => {
    const a = await h.signedIn(admin.email, 'en', VIEWPORTS.laptop)
    const b = await h.signedIn(other.email, 'zh-CN', VIEWPORTS.laptop)
    await openEditor(a.page, ivrFlow)
    await openEditor(b.page, ivrFlow)
    await expect
      .poll(() => a.page.locator(`[data-testid=editors-presence] [data-email="${other.email}"]`).count())
      .toBeGreaterThan(0)
    await expect
      .poll(() => b.page.locator(`[data-testid=editors-presence] [data-email="${admin.email}"]`).count())
      .toBeGreaterThan(0)

    // A saves (a chat kept as a test); B, still on the old revision, then saves too
    for (const { page } of [a, b]) {
      await openTab(page, page === a.page ? /Simulator/ : /模拟器/)
      await page.getByTestId('sim-start').click()
      await expect.poll(() => page.getByTestId('sim-bot').count()).toBeGreaterThan(0)
    }
    await a.page.getByTestId('sim-save-test').click()
    await a.page.getByTestId('sim-save-test-confirm').click()
    await expect.poll(() => a.page.locator('.fp-note--ok').count()).toBe(1)
    await expect.poll(() => b.page.getByTestId('draft-saved-notice').textContent()).toContain('Alice Wang')

    const before = await api('GET', `/api/v1/flows/${ivrFlow}`)
    await b.page.getByTestId('sim-save-test').click()
    await b.page.locator('.sim-name input').fill('李雷的测试')
    await b.page.getByTestId('sim-save-test-confirm').click()
    const dialog = b.page.getByTestId('conflict-dialog')
    await dialog.waitFor()
    expect(await b.page.getByTestId('conflict-who').textContent()).toContain('Alice Wang')
    const after = await api('GET', `/api/v1/flows/${ivrFlow}`)
    expect(after.body.draftRev).toBe(before.body.draftRev)
    expect(after.body.draft.tests.map((t: { name: string }) => t.name)).not.toContain('李雷的测试')
    await shot(b.page, 'stale-save-zh-CN')

    // compare mine with theirs on the canvas, then take theirs
    await b.page.getByTestId('conflict-compare-button').click()
    await b.page.getByTestId('conflict-compare').waitFor()
    await shot(b.page, 'stale-save-compare-zh-CN')
    await b.page.getByTestId('conflict-compare').getByRole('button', { name: '加载对方的版本' }).click()
    await b.page.getByTestId('conflict-reload-confirm').click()
    await expect.poll(() => b.page.getByTestId('conflict-dialog').count()).toBe(0)
    expect(a.errors).toEqual([])
    expect(b.errors).toEqual([])
    await a.context.close()
    // B's socket is gone: A's entry is the only one left on the server once A closes too
    await b.context.close()
    await expect.poll(async () => (await api('GET', `/api/v1/flows/${ivrFlow}/editors`)).body.length).toBe(0)
  })

  for (const locale of ['en', 'zh-CN'] as const)
    it(`diffs two versions on the canvas and rolls back (${locale})`, async () => {
      const flow = await api('POST', '/api/v1/flows', {
        name: `Menu ${locale}`,
        kind: 'ivr',
        document: ivrMenu,
      })
      const id = flow.body.id as string
      expect((await api('POST', `/api/v1/flows/${id}/publish`, { note: 'first' })).status).toBe(201)
      const v2 = structuredClone(ivrMenu)
      v2.nodes = v2.nodes.filter((n) => n.id !== 'agent')
      v2.edges = v2.edges.filter((e) => e.to !== 'agent')
      v2.nodes.push({
        id: 'ticket',
        type: 'send-message',
        config: { text: 'We will call you back' },
        position: { x: 440, y: 300 },
      })
      v2.edges.push({ from: 'menu', port: '2', to: 'ticket' })
      ;(v2.nodes.find((n) => n.id === 'orders')!.config as { text: string }).text = 'Orders: your order number, please'
      const draft = await api('GET', `/api/v1/flows/${id}`)
      expect(
        (await api('PUT', `/api/v1/flows/${id}/draft`, { document: v2, baseRev: draft.body.draftRev })).status,
      ).toBe(200)
      expect(
        (await api('POST', `/api/v1/flows/${id}/publish`, { note: 'callback instead of agent' }, other.token)).status,
      ).toBe(201)

      const { page, errors } = await h.signedIn(admin.email, locale, VIEWPORTS.desktop)
      await openEditor(page, id)
      await openTab(page, locale === 'en' ? /Versions/ : /版本/)
      const panel = page.getByTestId('versions')
      await expect.poll(() => panel.getByTestId('version-list').locator('li').count()).toBe(2)
      expect(await panel.getByTestId('version-list').textContent()).toContain('李雷')
      await panel.getByTestId('diff-from').selectOption('1')
      await panel.getByTestId('diff-to').selectOption('2')
      await panel.getByTestId('diff-run').click()
      await panel.getByTestId('diff-changes').waitFor()
      await expect.poll(() => page.locator('.react-flow__node[data-id="ticket"] .sb-node.ov-added').count()).toBe(1)
      expect(await page.locator('.react-flow__node[data-id="agent"] .sb-node.ov-removed').count()).toBe(1)
      expect(await page.locator('.react-flow__node[data-id="orders"] .sb-node.ov-changed').count()).toBe(1)
      const kinds = await panel
        .getByTestId('diff-changes')
        .locator('li')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
      expect(kinds).toEqual(expect.arrayContaining(['added', 'removed', 'changed', 'edge-added', 'edge-removed']))
      expect(await panel.getByTestId('diff-changes').textContent()).toContain('text')
      await shot(page, `diff-${locale}`)
      await panel.getByTestId('ver-back').click()

      // roll back to v1: published again as v3, and the draft is v1's document
      await panel.locator('li[data-version="1"]').getByTestId('version-rollback').click()
      await panel.locator('li[data-version="1"]').getByTestId('rollback-confirm').click()
      await expect.poll(() => panel.getByTestId('version-list').locator('li').count()).toBe(3)
      const rolled = await api('GET', `/api/v1/flows/${id}`)
      const v1 = await api('GET', `/api/v1/flows/${id}/versions/1`)
      expect(rolled.body.draft).toEqual(v1.body)
      expect(rolled.body.publishedVersion).toBe(3)
      await expect.poll(() => page.locator('.react-flow__node[data-id="agent"]').count()).toBe(1)
      expect(errors).toEqual([])
      await page.context().close()
    })

  it('keeps a few screenshots for the docs', () => {
    mkdirSync(docsImages, { recursive: true })
    for (const name of ['simulator-en', 'simulator-zh-CN', 'diff-en', 'diff-zh-CN', 'stale-save-zh-CN'])
      if (existsSync(join(shots, `${name}.png`)))
        copyFileSync(join(shots, `${name}.png`), join(docsImages, `${name}.png`))
  })
})
