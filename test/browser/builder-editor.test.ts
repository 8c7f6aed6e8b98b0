import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { chromiumInstalled } from '../support/chromium.js'
import { startConsole, VIEWPORTS, type ConsoleHarness } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

// a browser and a server on a loaded 2-core CI machine (two suites at once): give each step room
vi.setConfig({ testTimeout: 90_000 })

const root = join(import.meta.dirname, '../..')
const builderBuilt = existsSync(join(root, 'flow-builder', 'dist', 'index.html'))
const shots = join(root, 'test-results', 'builder')

/**
 * The flow builder in real Chromium: an admin builds a small order-status bot from an empty
 * canvas (palette drag, named ports, forms), sees a validation error and fixes it, saves and
 * publishes, and the published flow answers an order question; import/export; templates; the
 * frame times of a 300-node flow.
 */
describe.skipIf(!chromiumInstalled || !builderBuilt)('flow builder: editor', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  const builds: Array<{ remove(): void }> = []
  const api = (method: string, url: string, payload?: unknown) =>
    h.t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin.token) })

  beforeAll(async () => {
    h = await startConsole()
    await h.t.app.services.plugins.start()
    // the demo shop answers erp.getOrder; the web chat widget is where a visitor talks to the published bot
    for (const name of ['demo-shop', 'channel-webchat']) {
      const built = await builtPluginCopy(join(root, 'plugins', name))
      builds.push(built)
      await h.t.app.services.plugins.install({ dir: built.dir }, { actor: systemActor('test') })
    }
    admin = await h.user('admin', 'Flow Designer')
    mkdirSync(shots, { recursive: true })
  }, 120_000)
  afterAll(async () => {
    await h?.close()
    for (const b of builds) b.remove()
  })

  // one sign-in per language, reused by the tests (each test opens its own builder page)
  const signedIn: Partial<Record<'en' | 'zh-CN', Awaited<ReturnType<ConsoleHarness['signedIn']>>>> = {}
  const session = async (locale: 'en' | 'zh-CN', viewport: { width: number; height: number }) => {
    signedIn[locale] ??= await h.signedIn(admin.email, locale, viewport)
    await signedIn[locale].page.setViewportSize(viewport)
    return signedIn[locale]
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`) })
  const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`)

  async function connect(page: Page, from: string, port: string, to: string) {
    const source = node(page, from).locator(`.react-flow__handle[data-handleid="${port}"]`)
    const target = node(page, to).locator('.react-flow__handle.target')
    const a = (await source.boundingBox())!
    const b = (await target.boundingBox())!
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
    await page.mouse.down()
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 })
    await page.mouse.up()
    await page.waitForFunction(
      ([f, p]) =>
        !!document.querySelector(`.react-flow__edge[data-id="${f}:${p}"], [data-testid="rf__edge-${f}:${p}"]`),
      [from, port],
    )
  }

  async function drop(page: Page, type: string, dx: number, dy: number) {
    const box = (await page.locator('.sb-canvas').boundingBox())!
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    await page
      .locator(`.sb-palette-item[data-node-type="${type}"]`)
      .dragTo(page.locator('.sb-canvas .react-flow__pane'), {
        targetPosition: { x: cx - box.x + dx, y: cy - box.y + dy },
      })
  }

  it('builds an order-status bot from an empty canvas, fixes a validation error, saves, publishes, and it answers', async () => {
    const { page, errors } = await session('en', VIEWPORTS.desktop)
    await page.goto(`${h.base}/builder/`)
    await page.getByRole('button', { name: '+ New flow' }).click()
    await page.fill('#new-flow-name', 'Order bot (drawn)')
    await page.getByRole('button', { name: 'Create and open' }).click()
    await page.waitForURL(/\/builder\/flows\//)
    await node(page, 'start').waitFor()

    await drop(page, 'ask', -300, 170)
    await drop(page, 'plugin-action', 60, 170)
    await drop(page, 'send-message', -300, 400)
    await drop(page, 'send-message', 60, 400)
    for (const id of ['ask', 'plugin-action', 'send-message', 'send-message-2']) await node(page, id).waitFor()

    // configure through the forms
    await node(page, 'ask').click()
    await page.fill('#cfg_ask_prompt', 'Your order number, please?')
    await page.fill('#cfg_ask_variable', 'orderNumber')
    await node(page, 'plugin-action').click()
    await page.locator('#cfg_plugin-action_input_add').click()
    await page.fill('#cfg_plugin-action_input_key_0', 'orderNumber')
    // the expression box offers the variable set upstream once ask is connected; type it for now
    await page.fill('#cfg_plugin-action_input_value_0', 'vars.orderNumber')
    await page.fill('#cfg_plugin-action_variable', 'order')
    await node(page, 'send-message').click()
    await page.fill('#cfg_send-message_text', 'Order {{ vars.orderNumber }}: {{ vars.order.stateText }}')
    await node(page, 'send-message-2').click()
    await page.fill('#cfg_send-message-2_text', 'We could not find order {{ vars.orderNumber }}.')

    await connect(page, 'start', 'next', 'ask')
    await connect(page, 'ask', 'next', 'plugin-action')
    await connect(page, 'plugin-action', 'error', 'send-message-2')

    // the plugin action has no action yet: a problem on the node, publish blocked
    // (and the message after it cannot be reached yet)
    await page.locator('[data-testid="validation-state"]', { hasText: '2 problems' }).waitFor()
    await expect.poll(() => node(page, 'plugin-action').locator('.sb-node-badge').textContent()).toBe('1')
    expect(await page.locator('[data-testid="publish"]').isDisabled()).toBe(true)
    await page.locator('[data-testid="problems-tab"]').click()
    await page.locator('[data-testid="problems"] li').first().waitFor()
    await shot(page, 'problems-en')
    await page.locator('[data-testid="problems"] button', { hasText: 'action' }).click()
    await expect.poll(() => page.locator('.sb-node-form').getAttribute('data-node-id')).toBe('plugin-action')
    expect(await page.locator('.sb-node-form .sb-field-error, .sb-node-form .error-detail').count()).toBeGreaterThan(0)

    // fix the action; then its required `ok` port is reported, and connecting it fixes that too
    await page.fill('#cfg_plugin-action_action', 'erp.getOrder')
    await page.locator('[data-testid="problems-tab"]').click()
    await page.locator('[data-testid="problems"]', { hasText: 'must be connected' }).waitFor()
    await page.locator('.sb-tabs button', { hasText: 'Node' }).click()
    // the expression box offers the variable set upstream (by the ask node)
    await page.locator('#cfg_plugin-action_input_value_0').fill('vars.ord')
    await page.locator('#cfg_plugin-action_input_value_0').press('End')
    await page.locator('.sb-suggest li', { hasText: 'vars.orderNumber' }).waitFor()
    await shot(page, 'node-form-en')
    await page.locator('.sb-suggest li', { hasText: 'vars.orderNumber' }).click()
    expect(await page.inputValue('#cfg_plugin-action_input_value_0')).toBe('vars.orderNumber')
    await connect(page, 'plugin-action', 'ok', 'send-message')
    await page.locator('[data-testid="validation-state"]', { hasText: 'No problems' }).waitFor()

    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } })
    await page.locator('.sb-topbar').getByRole('button', { name: 'Auto-layout' }).click()
    await page.waitForTimeout(400)
    await shot(page, 'canvas-en')

    await page.keyboard.press('Control+s')
    await page.locator('[data-testid="notice"]', { hasText: 'Saved' }).waitFor()
    await page.locator('[data-testid="publish"]').click()
    await page.locator('[data-testid="notice"]', { hasText: 'Published as version 1' }).waitFor()

    const flows = JSON.parse((await api('GET', '/api/v1/flows')).payload) as Array<{
      id: string
      name: string
      publishedVersion: number
    }>
    const flow = flows.find((f) => f.name === 'Order bot (drawn)')!
    expect(flow.publishedVersion).toBe(1)
    // the admin makes it the web chat's entry flow (the triggers API), and a visitor asks in the widget
    const trigger = await api('POST', `/api/v1/flows/${flow.id}/triggers`, {
      kind: 'channel-entry',
      config: { channel: 'webchat' },
    })
    expect(trigger.statusCode, trigger.payload).toBe(201)
    const visitorContext = await h.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } })
    try {
      const visitor = await visitorContext.newPage()
      const visitorErrors: string[] = []
      visitor.on('pageerror', (e) => visitorErrors.push(e.message))
      await visitor.goto(`${h.base}/demo/chat`)
      await visitor.locator('switchboard-chat .launcher').click()
      await expect
        .poll(() =>
          visitor.evaluate(
            () => (globalThis as unknown as { SwitchboardChat: { connected: boolean } }).SwitchboardChat.connected,
          ),
        )
        .toBe(true)
      const input = visitor.locator('switchboard-chat .composer input[type=text]')
      await input.fill('Hi, where is my order?')
      await input.press('Enter')
      // the drawn bot asks for the number…
      await visitor
        .locator('switchboard-chat .msg.out[data-by=bot]', { hasText: 'Your order number, please?' })
        .waitFor({ timeout: 15_000 })
      await input.fill('2026111812345')
      await input.press('Enter')
      // …looks it up through the demo shop's erp.getOrder and answers with the order's state
      const answer = visitor.locator('switchboard-chat .msg.out[data-by=bot]', { hasText: 'Order 2026111812345: ' })
      await answer.waitFor({ timeout: 15_000 })
      const text = (await answer.innerText()).trim()
      expect(text.length).toBeGreaterThan('Order 2026111812345: '.length)
      expect(text).not.toContain('{{')
      await visitor.screenshot({ path: join(shots, 'webchat-drawn-bot-en.png') })
      // a real web chat conversation, answered by version 1 of the drawn flow
      const [conversation] = await h.t.app.services.conversations.list({ limit: 5 })
      expect(conversation!.channel).toBe('webchat')
      const runs = await h.t.app.db.flowRun.findMany({ where: { flowId: flow.id }, include: { flowVersion: true } })
      expect(runs.map((r) => [r.conversationId, r.flowVersion.version])).toEqual([[conversation!.id, 1]])
      expect(visitorErrors).toEqual([])
    } finally {
      await visitorContext.close()
    }
    expect(errors).toEqual([])
  }, 120_000)

  it('shows the canvas and a node form in Chinese', async () => {
    const flows = JSON.parse((await api('GET', '/api/v1/flows')).payload) as Array<{ id: string; name: string }>
    const flow = flows.find((f) => f.name === 'Order bot (drawn)')!
    const { page } = await session('zh-CN', VIEWPORTS.laptop)
    await page.goto(`${h.base}/builder/flows/${flow.id}`)
    await node(page, 'plugin-action').waitFor()
    await page.keyboard.press('f')
    await page.waitForTimeout(300)
    await shot(page, 'canvas-zh-CN')
    await node(page, 'ask').click()
    await page.locator('.sb-node-form').waitFor()
    await shot(page, 'node-form-zh-CN')
    expect(await page.locator('.sb-tabs').textContent()).toContain('问题')
  }, 60_000)

  it('exports a flow and imports it back as another flow (round trip)', async () => {
    const { page } = await session('en', VIEWPORTS.laptop)
    await page.goto(`${h.base}/builder/`)
    const row = page.locator('tr', { hasText: 'Order bot (drawn)' })
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Export' }).click(),
    ])
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      name: string
      document: { nodes: unknown[] }
    }
    expect(exported.name).toBe('Order bot (drawn)')
    expect(exported.document.nodes).toHaveLength(5)
    const copy = { ...exported, name: 'Order bot (imported)' }
    await page.locator('[data-testid="import-file"]').setInputFiles({
      name: 'order-bot.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(copy)),
    })
    await page.waitForURL(/\/builder\/flows\//)
    await node(page, 'plugin-action').waitFor()
    const flows = JSON.parse((await api('GET', '/api/v1/flows')).payload) as Array<{ id: string; name: string }>
    const imported = flows.find((f) => f.name === 'Order bot (imported)')!
    const again = JSON.parse((await api('GET', `/api/v1/flows/${imported.id}/export`)).payload) as { document: unknown }
    expect(again.document).toEqual(exported.document)
  }, 60_000)

  it('creates a flow from the templates gallery', async () => {
    const { page } = await session('zh-CN', VIEWPORTS.laptop)
    await page.goto(`${h.base}/builder/`)
    await page.locator('[data-template="order-status"]').waitFor()
    await shot(page, 'flow-list-zh-CN')
    await page.locator('[data-template="order-status"] button').click()
    await page.waitForURL(/\/builder\/flows\//)
    await node(page, 'lookup').waitFor()
    await page.locator('[data-testid="validation-state"]', { hasText: '没有问题' }).waitFor()
    await shot(page, 'template-order-status-zh-CN')
    const template = JSON.parse(readFileSync(join(root, 'examples/flows/order-status.json'), 'utf8')) as {
      document: { nodes: unknown[] }
    }
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(10)
    expect(template.document.nodes.length).toBeGreaterThan(10)
  }, 60_000)

  it('keeps a 300-node flow smooth to pan and drag (frame times)', async () => {
    const nodes = [{ id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } }]
    const edges: Array<{ from: string; port: string; to: string }> = []
    for (let i = 1; i < 300; i++) {
      nodes.push({
        id: `n${i}`,
        type: i % 3 === 0 ? 'condition' : 'send-message',
        config: i % 3 === 0 ? { expression: `vars.step > ${i}` } : { text: `Step ${i}: {{ vars.orderNumber }}` },
        position: { x: (i % 15) * 300, y: Math.floor(i / 15) * 180 },
      } as never)
      edges.push({
        from: i === 1 ? 'start' : `n${i - 1}`,
        port: (i - 1) % 3 === 0 && i > 1 ? 'true' : 'next',
        to: `n${i}`,
      })
    }
    const created = await api('POST', '/api/v1/flows', {
      name: 'Big flow',
      kind: 'bot',
      document: { schemaVersion: 1, nodes, edges },
    })
    expect(created.statusCode, created.payload).toBe(201)
    const { id } = JSON.parse(created.payload) as { id: string }
    const { page } = await session('en', VIEWPORTS.desktop)
    await page.goto(`${h.base}/builder/flows/${id}`)
    await node(page, 'n1').waitFor()
    await page.waitForTimeout(800)
    const drawn = await page.locator('.react-flow__node').count()

    const measure = async (action: () => Promise<void>) => {
      await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __run: boolean }
        w.__frames = []
        w.__run = true
        let last = performance.now()
        const tick = (now: number) => {
          w.__frames.push(now - last)
          last = now
          if (w.__run) requestAnimationFrame(tick)
        }
        requestAnimationFrame(tick)
      })
      await action()
      const frames = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __run: boolean }
        w.__run = false
        return w.__frames.slice(1)
      })
      const sorted = [...frames].sort((a, b) => a - b)
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
      return { frames: frames.length, p50: q(0.5), p95: q(0.95), max: sorted.at(-1)! }
    }
    const box = (await page.locator('.sb-canvas').boundingBox())!
    const pan = await measure(async () => {
      // ~2 s of panning: drag the empty pane back and forth
      const x = box.x + box.width - 60
      const y = box.y + 40
      await page.mouse.move(x, y)
      await page.mouse.down()
      for (let i = 0; i < 120; i++) await page.mouse.move(x - (i % 60) * 8, y + (i % 60) * 4)
      await page.mouse.up()
    })
    // drag one of the nodes on screen (the whole flow is in view: every node is drawn)
    const target = (await page.locator('.react-flow__node-flow').nth(40).boundingBox())!
    const drag = await measure(async () => {
      await page.mouse.move(target.x + 60, target.y + 14)
      await page.mouse.down()
      for (let i = 0; i < 120; i++) await page.mouse.move(target.x + 60 + (i % 40) * 6, target.y + 14 + (i % 40) * 3)
      await page.mouse.up()
    })
    await page.keyboard.press('f')
    await page.waitForTimeout(400)
    await shot(page, 'canvas-300-nodes-en')
    // zoomed in to about 100 % (8 × 1.2 from the fitted view): only the nodes in view are drawn
    for (let i = 0; i < 8; i++) await page.locator('.react-flow__controls-zoomin').click()
    await page.waitForTimeout(600)
    const drawnZoomed = await page.locator('.react-flow__node').count()
    const zoomedPan = await measure(async () => {
      const x = box.x + box.width - 60
      const y = box.y + 40
      await page.mouse.move(x, y)
      await page.mouse.down()
      for (let i = 0; i < 120; i++) await page.mouse.move(x - (i % 60) * 12, y + (i % 60) * 6)
      await page.mouse.up()
    })
    const fmt = (m: typeof pan) =>
      `${m.frames} frames, p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms, max ${m.max.toFixed(1)} ms`
    console.log(
      `[flow builder canvas, 300 nodes] all in view (${drawn} drawn): pan ${fmt(pan)}; drag a node ${fmt(drag)}. ` +
        `Zoomed in (${drawnZoomed} drawn): pan ${fmt(zoomedPan)}`,
    )
    expect(pan.frames).toBeGreaterThan(10)
    expect(drag.frames).toBeGreaterThan(10)
    expect(zoomedPan.frames).toBeGreaterThan(10)
    // zoomed in, the nodes out of view are not drawn
    expect(drawnZoomed).toBeLessThan(drawn)
  }, 120_000)
})
