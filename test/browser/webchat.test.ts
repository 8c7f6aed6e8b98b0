import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { chromiumInstalled, launchChromium } from '../support/chromium.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const root = join(import.meta.dirname, '../..')
const screenshots = join(root, 'test-results')
const actor = systemActor('test')

/** The texts of the bubbles in the widget's thread, in order (stored messages only, not the greeting). */
const thread = (page: Page) =>
  page
    .locator('switchboard-chat .msg[data-seq]')
    .evaluateAll((els) =>
      els.map((e) => ({ seq: Number(e.getAttribute('data-seq')), by: e.getAttribute('data-by'), text: e.textContent })),
    )

/**
 * A visitor chats in the web chat widget on the demo shop page, end to end in real Chromium: the
 * order-status bot answers through the demo shop plugin, asking for a human queues the
 * conversation, an agent's reply reaches the widget; a reload keeps the history; a dropped socket
 * reconnects without losing or doubling a message.
 */
describe.skipIf(!chromiumInstalled)('web chat widget in Chromium', () => {
  let t: TestApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let base: string
  let agent: string
  const builds: Array<{ remove(): void }> = []

  const conversation = async () => {
    const [c] = await t.app.services.conversations.list({ limit: 5 })
    return c!
  }
  const stored = async () =>
    (await t.app.services.conversations.messages((await conversation()).id, { limit: 500 })).filter(
      (m) => m.direction !== 'internal',
    )

  beforeAll(async () => {
    t = await createTestApp({ PORT: '0', HOST: '127.0.0.1' })
    await t.app.services.plugins.start()
    const admin = (await t.tokenFor('admin')).token
    agent = (await t.tokenFor('agent')).token
    for (const name of ['channel-webchat', 'demo-shop']) {
      const built = await builtPluginCopy(join(root, 'plugins', name))
      builds.push(built)
      await t.app.services.plugins.install({ dir: built.dir }, { actor })
    }
    await t.app.db.queue.create({ data: { name: 'After-sales', description: '售后' } })
    const flow = JSON.parse(readFileSync(join(root, 'examples/flows/order-status.json'), 'utf8'))
    const imported = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin),
      payload: { flow, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
    const trigger = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/flows/${(JSON.parse(imported.payload) as { id: string }).id}/triggers`,
      headers: bearer(admin),
      payload: { kind: 'channel-entry', config: { channel: 'webchat' } },
    })
    expect(trigger.statusCode, trigger.payload).toBe(201)
    await t.app.server.start()
    base = t.app.server.info.uri
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' })
    page = await context.newPage()
    mkdirSync(screenshots, { recursive: true })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
    for (const b of builds) b.remove()
  })

  it('the bot answers the visitor’s order question in the widget', async () => {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${base}/demo/chat`)
    await page.locator('switchboard-chat .launcher').click()
    await expect
      .poll(() =>
        page.evaluate(
          () => (globalThis as unknown as { SwitchboardChat: { connected: boolean } }).SwitchboardChat.connected,
        ),
      )
      .toBe(true)
    const input = page.locator('switchboard-chat .composer input[type=text]')
    await input.fill('我的快递到哪了？订单号 2026111812345')
    await input.press('Enter')
    await page
      .locator('switchboard-chat .msg.out', { hasText: '您的订单 2026111812345 已发货' })
      .waitFor({ timeout: 15_000 })
    expect(await page.locator('switchboard-chat .msg.in').first().innerText()).toContain('2026111812345')
    expect((await conversation()).channel).toBe('webchat')
    await page.screenshot({ path: join(screenshots, 'webchat-desktop.png') })
    expect(errors).toEqual([])
  })

  it('asking for a human queues the conversation and the agent’s reply reaches the widget', async () => {
    const input = page.locator('switchboard-chat .composer input[type=text]')
    await input.fill('转人工')
    await input.press('Enter')
    await page.locator('switchboard-chat .msg.out', { hasText: '正在为您转接人工客服' }).waitFor({ timeout: 15_000 })
    await expect.poll(async () => (await conversation()).status, { timeout: 10_000 }).toBe('queued')
    const reply = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${(await conversation()).id}/messages`,
      headers: bearer(agent),
      payload: { text: '您好，我是客服小李，马上为您核实物流。' },
    })
    expect(reply.statusCode, reply.payload).toBe(201)
    await page.locator('switchboard-chat .msg.out[data-by=agent]', { hasText: '客服小李' }).waitFor({ timeout: 10_000 })
    const shown = await thread(page)
    expect(shown.map((m) => m.seq)).toEqual((await stored()).map((m) => m.seq))
  })

  it('a reload keeps the whole history', async () => {
    const before = await thread(page)
    await page.reload()
    await page.locator('switchboard-chat .launcher').click()
    await expect.poll(() => thread(page), { timeout: 10_000 }).toEqual(before)
  })

  it('a dropped socket reconnects and nothing is lost or doubled', async () => {
    await page.evaluate(() =>
      (globalThis as unknown as { SwitchboardChat: { reconnect(): void } }).SwitchboardChat.reconnect(),
    )
    // while the widget is down, the agent writes twice
    const id = (await conversation()).id
    for (const text of ['请问您方便留个电话吗？', '我们会在今天内回复您。'])
      await t.app.server.inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/messages`,
        headers: bearer(agent),
        payload: { text },
      })
    await page.locator('switchboard-chat .msg.out', { hasText: '今天内回复' }).waitFor({ timeout: 20_000 })
    await expect
      .poll(() =>
        page.evaluate(
          () => (globalThis as unknown as { SwitchboardChat: { connected: boolean } }).SwitchboardChat.connected,
        ),
      )
      .toBe(true)
    const input = page.locator('switchboard-chat .composer input[type=text]')
    await input.fill('13800000000')
    await input.press('Enter')
    await page.locator('switchboard-chat .msg.in[data-seq]', { hasText: '13800000000' }).waitFor({ timeout: 10_000 })
    const shown = await thread(page)
    const rows = await stored()
    expect(shown.map((m) => m.seq)).toEqual(rows.map((m) => m.seq))
    expect(new Set(shown.map((m) => m.seq)).size).toBe(shown.length)
    expect(rows.filter((m) => m.body === '13800000000')).toHaveLength(1)
    expect(await page.locator('switchboard-chat .msg.pending').count()).toBe(0)
  })

  it('sends an image, shows the agent typing, and takes a rating once resolved', async () => {
    const id = (await conversation()).id
    // a receipt drawn by the browser itself
    const dataUrl = await page.evaluate<string>(`(() => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 100 })
      const g = canvas.getContext('2d')
      g.fillStyle = '#fde68a'
      g.fillRect(0, 0, 160, 100)
      g.fillStyle = '#92400e'
      g.font = '20px sans-serif'
      g.fillText('RECEIPT ¥199', 12, 56)
      return canvas.toDataURL('image/png')
    })()`)
    const png = Buffer.from(dataUrl.split(',')[1]!, 'base64')
    await page
      .locator('switchboard-chat input[type=file]')
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png })
    const image = page.locator('switchboard-chat .msg.in[data-seq] img')
    await image.waitFor({ timeout: 10_000 })
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(160)
    const media = (await stored()).at(-1)!
    expect(media).toMatchObject({ direction: 'inbound', kind: 'media', body: '[image] receipt.png' })

    const typing = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/typing`,
      headers: bearer(agent),
    })
    expect(typing.statusCode).toBe(204)
    await expect.poll(() => page.locator('switchboard-chat .typing').innerText()).toContain('客服')

    const resolved = await t.app.server.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${id}`,
      headers: bearer(agent),
      payload: { status: 'resolved' },
    })
    expect(resolved.statusCode, resolved.payload).toBe(200)
    await page.locator('switchboard-chat .stars button').nth(3).click()
    await page.locator('switchboard-chat .card.rating:not(:has(.stars))').waitFor({ timeout: 10_000 })
    await expect
      .poll(async () => (await t.app.services.conversations.get(id)).attributes, { timeout: 10_000 })
      .toMatchObject({ rating: 4 })
    await page.screenshot({ path: join(screenshots, 'webchat-desktop-rated.png') })
  })

  it('after hours, the offline form is left as one message', async () => {
    await t.app.services.plugins.configure(
      'channel-webchat',
      { config: { offlineMessage: '现在是非工作时间 We are closed', color: '#7c3aed' }, secrets: {} },
      actor,
    )
    await page.reload()
    await page.locator('switchboard-chat .launcher').click()
    const input = page.locator('switchboard-chat .composer input[type=text]')
    await input.fill('有人吗')
    await input.press('Enter')
    await page.locator('switchboard-chat .msg.in[data-seq]', { hasText: '有人吗' }).waitFor({ timeout: 10_000 })
    // the bot answers right after the message is stored; the agent's offline notice comes after it
    await t.app.services.conversations.drain()
    const { id } = await conversation()
    await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/messages`,
      headers: bearer(agent),
      payload: { text: '现在是非工作时间 We are closed' },
    })
    const form = page.locator('switchboard-chat form.offline')
    await form.waitFor({ timeout: 10_000 })
    await form.locator('input').nth(0).fill('张三')
    await form.locator('input').nth(1).fill('zhang@example.com')
    await form.locator('textarea').fill('想退货')
    await form.locator('button').click()
    await expect
      .poll(async () => (await stored()).at(-1)?.body, { timeout: 10_000 })
      .toBe('[离线留言 Offline form]\n姓名 Name: 张三\n联系方式 Contact: zhang@example.com\n问题 Question: 想退货')
    await expect.poll(() => form.count()).toBe(0)
  })

  it('fits a 390 px phone screen, full screen, and answers an English widget in English', async () => {
    const phone = await (await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } })).newPage()
    await phone.goto(`${base}/demo/chat`)
    await phone.locator('switchboard-chat .launcher').click()
    // a new browser: a new visitor, greeted in English
    await phone.locator('switchboard-chat .msg.welcome', { hasText: 'How can we help' }).waitFor({ timeout: 10_000 })
    const input = phone.locator('switchboard-chat .composer input[type=text]')
    await input.fill('Where is my order 2026111812345?')
    await input.press('Enter')
    // the widget shows English, so the order bot answers in English
    await phone
      .locator('switchboard-chat .msg.out[data-by=bot]', { hasText: 'Your order 2026111812345 has shipped' })
      .waitFor({ timeout: 15_000 })
    const box = await phone.locator('switchboard-chat .panel').boundingBox()
    expect(box).toMatchObject({ x: 0, width: 390 })
    await phone.screenshot({ path: join(screenshots, 'webchat-mobile.png') })
    await phone.close()
  })
})
