import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chromiumInstalled } from '../support/chromium.js'
import { startConsole, VIEWPORTS, type ConsoleHarness } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

// a browser and a server on a loaded 2-core machine: give each step room
vi.setConfig({ testTimeout: 120_000 })

const root = join(import.meta.dirname, '../..')
const builderBuilt = existsSync(join(root, 'flow-builder', 'dist', 'index.html'))
/** the guide's pictures of the panel (docs/flow-designer.md, "What starts a flow") */
const docImages = join(root, 'docs', 'images', 'builder')

const oneMessage = (text: string) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'say', type: 'send-message', config: { text } },
  ],
  edges: [{ from: 'start', port: 'next', to: 'say' }],
})

/**
 * "What starts this flow" in real Chromium: an admin makes a new flow the phone line's entry
 * flow, is told another flow has it and moves it here; adds a survey-style event trigger 72 hours
 * after a resolution and removes it again; a supervisor sees the triggers read-only; the Chinese
 * builder says the validator's problems in Chinese.
 */
describe.skipIf(!chromiumInstalled || !builderBuilt)('flow builder: what starts this flow', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  let supervisor: { id: string; email: string; token: string }
  const flows: Record<string, string> = {}
  const api = async (method: string, url: string, payload?: unknown) => {
    const res = await h.t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin.token) })
    return { status: res.statusCode, body: res.payload ? JSON.parse(res.payload) : undefined }
  }
  const triggersOf = async (flowId: string) =>
    (await api('GET', `/api/v1/flows/${flowId}/triggers`)).body as Array<{
      id: string
      kind: string
      config: Record<string, unknown>
    }>

  beforeAll(async () => {
    h = await startConsole()
    admin = await h.user('admin', 'Flow Admin')
    supervisor = await h.user('supervisor', 'Shift Lead')
    // publish null: created with its problems (an import refuses a flow with problems)
    const imported = async (name: string, kind: string, document: unknown, publish: boolean | null) => {
      const res =
        publish === null
          ? await api('POST', '/api/v1/flows', { name, kind, document })
          : await api('POST', '/api/v1/flows/import', { flow: { name, kind, document }, publish })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body.id as string
    }
    flows.old = await imported('Old phone menu', 'ivr', oneMessage('Welcome to the old menu'), true)
    flows.fresh = await imported('New phone menu', 'ivr', oneMessage('Welcome to the new menu'), false)
    flows.broken = await imported(
      'Half-drawn bot',
      'bot',
      {
        schemaVersion: 1,
        nodes: [
          { id: 'start', type: 'start', config: {} },
          { id: 'ask-order', type: 'ask', config: { prompt: 'Order number?', variable: 'order' } },
        ],
        edges: [{ from: 'start', port: 'next', to: 'ask-order' }],
      },
      null,
    )
    // the old menu answers the phone line today
    expect(
      (
        await api('POST', `/api/v1/flows/${flows.old}/triggers`, {
          kind: 'channel-entry',
          config: { channel: 'voice' },
        })
      ).status,
    ).toBe(201)
    mkdirSync(docImages, { recursive: true })
  }, 120_000)
  afterAll(async () => {
    await h?.close()
  })

  const openTriggers = async (page: Page, flowId: string, tab: string) => {
    await page.goto(`${h.base}/builder/flows/${flowId}`)
    await page.locator('.react-flow__node[data-id="start"]').waitFor()
    await page.locator('.sb-tabs button', { hasText: tab }).click()
    await page.locator('[data-testid="triggers"]').waitFor()
  }
  const panel = (page: Page) => page.locator('[data-testid="triggers"]')

  it('an admin makes the new flow the phone line’s entry (moving it from the old one), adds a 72-hour event trigger and removes it', async () => {
    const { page, errors } = await h.signedIn(admin.email, 'en', VIEWPORTS.desktop)
    await openTriggers(page, flows.fresh!, 'Triggers')
    await panel(page).locator('text=What starts this flow').waitFor()
    // not published yet: the triggers would do nothing, and the panel says so
    await page.locator('[data-testid="triggers-unpublished"]').waitFor()
    expect(await page.locator('[data-testid="trigger"]').count()).toBe(0)

    // the channel list names the flow that has the phone line now
    const voiceOption = page.locator('[data-testid="trigger-channel"] option[value="voice"]')
    await expect.poll(() => voiceOption.textContent()).toContain('now: Old phone menu')
    await page.selectOption('[data-testid="trigger-channel"]', 'voice')
    await page.click('[data-testid="trigger-submit"]')
    const conflict = page.locator('[data-testid="trigger-conflict"]')
    await conflict.waitFor()
    expect(await conflict.textContent()).toContain('Phone (voice) already starts the flow “Old phone menu”')
    // the server's own words are shown too
    expect(await conflict.textContent()).toContain('already starts flow')
    expect(await triggersOf(flows.fresh!)).toEqual([])
    await page.screenshot({ path: join(docImages, 'triggers-conflict-en.png') })

    await page.click('[data-testid="trigger-move-here"]')
    await page.locator('[data-testid="triggers-notice"]', { hasText: 'Phone (voice) now starts this flow.' }).waitFor()
    await expect
      .poll(async () => (await page.locator('[data-testid="trigger"]').allTextContents()).join('|'))
      .toContain('Answers every new conversation on Phone (voice)')
    expect(await page.locator('[data-testid="trigger-conflict"]').count()).toBe(0)
    // moved for real: the old flow has no trigger left, the new one has the phone line
    expect(await triggersOf(flows.old!)).toEqual([])
    expect((await triggersOf(flows.fresh!)).map((x) => [x.kind, x.config])).toEqual([
      ['channel-entry', { channel: 'voice' }],
    ])
    const channels = (await api('GET', '/api/v1/channels')).body as Array<{
      name: string
      entryFlow: { flowId: string } | null
    }>
    expect(channels.find((c) => c.name === 'voice')!.entryFlow!.flowId).toBe(flows.fresh)

    // an event trigger: 72 hours after a conversation is resolved
    await page.selectOption('[data-testid="trigger-kind"]', 'event')
    await page.fill('[data-testid="trigger-topic"]', 'conversation.resolved')
    await page.fill('[data-testid="trigger-delay"]', '72')
    await page.selectOption('[data-testid="trigger-delay-unit"]', 'h')
    await page.click('[data-testid="trigger-submit"]')
    const eventRow = page.locator('[data-testid="trigger"][data-kind="event"]')
    await eventRow.waitFor()
    expect(await eventRow.textContent()).toContain('Starts on conversation.resolved, 72 hours later')
    const stored = (await triggersOf(flows.fresh!)).find((x) => x.kind === 'event')!
    expect(stored.config).toEqual({ topic: 'conversation.resolved', delay: '72h' })

    // a schedule shows its next three runs before it is added
    await page.selectOption('[data-testid="trigger-kind"]', 'schedule')
    await page.fill('[data-testid="trigger-cron"]', '0 9 * * 1-5')
    await page.fill('[data-testid="trigger-timezone"]', 'Asia/Shanghai')
    await expect.poll(() => page.locator('[data-testid="trigger-next-runs"] li').count(), { timeout: 20_000 }).toBe(3)
    for (const run of await page.locator('[data-testid="trigger-next-runs"] li').allTextContents())
      expect(run).toMatch(/(Mon|Tue|Wed|Thu|Fri).*09:00/)
    await page.fill('[data-testid="trigger-cron"]', '0 25 * * *')
    await page.locator('[data-testid="trigger-next-runs-error"]').waitFor()
    await page.fill('[data-testid="trigger-cron"]', '0 9 * * 1-5')
    await page.locator('[data-testid="trigger-next-runs"]').waitFor()
    await page.screenshot({ path: join(docImages, 'triggers-en.png') })

    // remove the event trigger again
    await eventRow.locator('[data-testid="trigger-remove"]').click()
    await page.locator('[data-testid="trigger"][data-kind="event"]').waitFor({ state: 'detached' })
    expect((await triggersOf(flows.fresh!)).map((x) => x.kind)).toEqual(['channel-entry'])
    expect(errors).toEqual([])
  })

  it('a supervisor sees what starts the flow, read-only', async () => {
    const { page, errors } = await h.signedIn(supervisor.email, 'en', VIEWPORTS.laptop)
    await openTriggers(page, flows.fresh!, 'Triggers')
    await page.locator('[data-testid="trigger"][data-kind="channel-entry"]').waitFor()
    await page
      .locator('[data-testid="triggers-readonly"]', { hasText: 'Only admins can add or remove triggers.' })
      .waitFor()
    expect(await page.locator('[data-testid="trigger-remove"]').count()).toBe(0)
    expect(await page.locator('[data-testid="trigger-add"]').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('in Chinese: the panel, and the validator’s problems said in Chinese', async () => {
    const { page, errors } = await h.signedIn(admin.email, 'zh-CN', VIEWPORTS.desktop)
    await openTriggers(page, flows.fresh!, '触发方式')
    await panel(page).locator('text=流程触发方式').waitFor()
    await page.locator('[data-testid="trigger"]', { hasText: '接待 电话（voice） 上的每个新会话' }).waitFor()
    await page.locator('[data-testid="triggers-unpublished"]', { hasText: '还没有已发布的版本' }).waitFor()
    await page.selectOption('[data-testid="trigger-kind"]', 'event')
    await page.screenshot({ path: join(docImages, 'triggers-zh-CN.png') })

    await page.goto(`${h.base}/builder/flows/${flows.broken}`)
    await page.locator('.react-flow__node[data-id="ask-order"]').waitFor()
    await page.locator('[data-testid="problems-tab"]').click()
    const problem = page.locator('[data-testid="problems"] li', { hasText: 'ask-order' }).first()
    await expect.poll(() => problem.textContent()).toContain('节点“ask-order”的出口“next”必须连接')
    expect(await problem.textContent()).not.toContain('must be connected')
    await page.screenshot({ path: join(docImages, 'problems-zh-CN.png') })
    expect(errors).toEqual([])
  })
})
