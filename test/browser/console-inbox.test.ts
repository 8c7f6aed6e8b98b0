import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { chromiumInstalled } from '../support/chromium.js'
import {
  consoleBuilt,
  startConsole,
  VIEWPORTS,
  type ConsoleHarness,
  type ConsoleLocale,
  type ConsolePage,
} from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

// a browser and a server on a loaded 2-core CI machine (two suites at once): give each step room
vi.setConfig({ testTimeout: 90_000 })

const root = join(import.meta.dirname, '../..')
const actor = systemActor('test')

type Frame = Record<string, unknown> & { type: string }

/** The customer's side: a web chat visitor on the widget's socket, collecting what the host pushes. */
async function visitor(base: string, id: string) {
  const frames: Frame[] = []
  const ws = new WebSocket(`${base.replace('http', 'ws')}/hooks/channel-webchat/ws/chat?visitor=${id}`)
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let n = 0
  return {
    frames,
    say: (text: string) =>
      ws.send(JSON.stringify({ type: 'message', id: `msg_${String(++n).padStart(8, '0')}`, text })),
    typing: () => ws.send(JSON.stringify({ type: 'typing' })),
    async waitFor(test: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
      for (let waited = 0; waited < timeoutMs; waited += 50) {
        const found = frames.find(test)
        if (found) return found
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`no such frame in ${JSON.stringify(frames.slice(-5))}`)
    },
    close: () => ws.close(),
  }
}

/** Vue reports a component that failed to render (a bad translation, say) on the console, not as a page error. */
function watchConsole(session: ConsolePage) {
  session.page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('Failed to load resource')) session.errors.push(m.text())
  })
}

const rowOf = (page: Page, id: string) => page.locator(`[data-test=conversation-row][data-id="${id}"]`)

/**
 * The agent's day in the console, in real Chromium against a real core: presence from the top
 * bar, a web chat customer who asks for a human assigned live (no reload) with a toast, the bot's
 * part of the thread, a reply the customer's socket receives, typing both ways, a note mentioning
 * a colleague, a tag, the priority, a transfer the colleague sees arrive, resolving; then an inbox
 * of 500 conversations, measured; and screenshots in both languages at both sizes.
 */
describe.skipIf(!chromiumInstalled || !consoleBuilt)('console: agent inbox and conversation workspace', () => {
  let h: ConsoleHarness
  let li: { id: string; email: string; token: string }
  let wang: { id: string; email: string; token: string }
  let liPage: ConsolePage
  let wangPage: ConsolePage
  let conversationId = ''
  const builds: Array<{ remove(): void }> = []
  const db = () => h.t.app.db

  beforeAll(async () => {
    h = await startConsole()
    await h.t.app.services.plugins.start()
    for (const name of ['channel-webchat', 'demo-shop']) {
      const built = await builtPluginCopy(join(root, 'plugins', name))
      builds.push(built)
      await h.t.app.services.plugins.install({ dir: built.dir }, { actor })
    }
    const admin = await h.user('admin', 'Admin')
    const flow = JSON.parse(readFileSync(join(root, 'examples/flows/order-status.json'), 'utf8'))
    const imported = await h.t.app.server.inject({
      method: 'POST',
      url: '/api/v1/flows/import',
      headers: bearer(admin.token),
      payload: { flow, publish: true },
    })
    expect(imported.statusCode, imported.payload).toBe(201)
    const trigger = await h.t.app.server.inject({
      method: 'POST',
      url: `/api/v1/flows/${(JSON.parse(imported.payload) as { id: string }).id}/triggers`,
      headers: bearer(admin.token),
      payload: { kind: 'channel-entry', config: { channel: 'webchat' } },
    })
    expect(trigger.statusCode, trigger.payload).toBe(201)
    li = await h.user('agent', 'Li Na')
    wang = await h.user('agent', 'Wang Wei')
    const afterSales = await db().queue.create({ data: { name: 'After-sales', description: '售后' } })
    const billing = await db().queue.create({ data: { name: 'Billing' } })
    await db().queueMember.createMany({
      data: [
        { queueId: afterSales.id, userId: li.id },
        { queueId: billing.id, userId: wang.id },
      ],
    })
    await h.t.app.services.routing.start()
  }, 240_000)

  afterAll(async () => {
    await h?.close()
    for (const b of builds) b.remove()
  })

  it('the agent sets presence from the top bar: available, then away with a reason', async () => {
    liPage = await h.signedIn(li.email, 'en', VIEWPORTS.laptop)
    watchConsole(liPage)
    const { page } = liPage
    await liPage.open('/inbox')
    await page.locator('[data-test=inbox-list][data-live=true] [data-test=inbox-empty]').waitFor()
    await page.click('[data-test=presence-button]')
    await page.click('[data-presence=available]')
    await expect
      .poll(async () => (await db().agentState.findUnique({ where: { userId: li.id } }))?.presence)
      .toBe('available')
    await page.click('[data-test=presence-button]')
    await page.click('[data-reason=lunch]')
    await expect
      .poll(async () => {
        const s = await db().agentState.findUnique({ where: { userId: li.id } })
        return `${s?.presence}/${s?.reason}`
      })
      .toBe('away/lunch')
    await page.locator('[data-test=presence-button]', { hasText: 'Lunch' }).waitFor()
    await page.click('[data-test=presence-button]')
    await page.click('[data-presence=available]')
    await expect
      .poll(async () => (await db().agentState.findUnique({ where: { userId: li.id } }))?.presence)
      .toBe('available')
  })

  it('a customer who asks for a human is assigned live, with a toast; the thread shows the bot’s part', async () => {
    const { page } = liPage
    const customer = await visitor(h.base, 'v_inbox_customer_0001')
    customer.say('我的快递到哪了？订单号 2026111812345')
    // the bot answers, then waits for the next question (offering "转人工" as a quick reply)
    await customer.waitFor(
      (f) =>
        f.type === 'message' && f.by === 'bot' && Array.isArray(f.quickReplies) && f.quickReplies.includes('转人工'),
    )
    customer.say('转人工')
    // no reload: the row arrives through the realtime API
    const row = page.locator('[data-test=conversation-row]').first()
    await Promise.all([
      row.waitFor({ timeout: 20_000 }),
      page.locator('.toast', { hasText: 'New conversation assigned to you' }).waitFor({ timeout: 20_000 }),
    ])
    conversationId = (await row.getAttribute('data-id'))!
    expect(await db().conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({
      status: 'assigned',
      assigneeId: li.id,
    })
    expect(await row.locator('[data-test=unread-count]').innerText()).toMatch(/^[1-9]/)
    await row.click()
    await page.waitForURL(`**/inbox/${conversationId}`)
    await page.locator('[data-test=message][data-role=bot]').first().waitFor()
    expect(await page.locator('[data-test=message][data-role=customer]').count()).toBeGreaterThanOrEqual(2)
    expect(await page.locator('[data-test=thread]').innerText()).toContain('2026111812345')
    // opening it read it: no unread badge, and the server agrees
    await expect.poll(() => row.locator('[data-test=unread-count]').count()).toBe(0)
    await expect
      .poll(
        async () =>
          (
            await db().conversationRead.findUnique({
              where: { conversationId_userId: { conversationId, userId: li.id } },
            })
          )?.lastReadSeq ?? 0,
      )
      .toBeGreaterThan(0)

    // typing both ways
    await page.fill('[data-test=composer-input]', 'Hello')
    await customer.waitFor((f) => f.type === 'typing')
    customer.typing()
    await page.locator('[data-test=visitor-typing]').waitFor()

    // the reply reaches the customer's socket
    await page.fill('[data-test=composer-input]', '您好，我是客服李娜，马上为您核实物流。')
    await page.click('[data-test=composer-send]')
    const pushed = await customer.waitFor((f) => f.type === 'message' && f.by === 'agent')
    expect(pushed.text).toBe('您好，我是客服李娜，马上为您核实物流。')
    await page.locator('[data-test=message][data-role=agent] [data-test=delivery]', { hasText: 'Sent' }).waitFor()

    // an image goes to the customer as media, shown as a thumbnail in the thread
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    )
    await page.setInputFiles('[data-test=attach-input]', { name: 'label.png', mimeType: 'image/png', buffer: png })
    const media = await customer.waitFor((f) => f.type === 'message' && f.by === 'agent' && !!f.media)
    expect(media.media).toMatchObject({ mimeType: 'image/png', name: 'label.png' })
    const served = await fetch(`${h.base}${(media.media as { url: string }).url}`)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png)
    await page.locator('[data-test=message][data-role=agent] [data-test=message-image] img').waitFor()

    // a new customer message appears live in the open thread
    customer.say('好的，谢谢')
    await page.locator('[data-test=message][data-role=customer]', { hasText: '好的，谢谢' }).waitFor()
    customer.close()
  }, 90_000)

  it('a note mentions a colleague; a tag and the priority are saved', async () => {
    const { page } = liPage
    await page.click('[data-test=mode-note]')
    await page.locator('[data-test=composer-input]').pressSequentially('@Wan')
    await page.locator('[data-test=mention-list]').waitFor()
    await page.click(`[data-test=mention-list] [data-user="${wang.id}"]`)
    await page.locator('[data-test=composer-input]').pressSequentially('please check the refund')
    await page.click('[data-test=composer-send]')
    await page.locator('[data-test=message][data-role=note] [data-test=mention]', { hasText: '@Wang Wei' }).waitFor()
    const note = await db().message.findFirstOrThrow({ where: { conversationId, direction: 'internal' } })
    expect(note.body).toBe('@Wang Wei please check the refund')
    expect(note.payload).toMatchObject({ mentions: [{ id: wang.id, name: 'Wang Wei' }] })

    await page.click('[data-test=add-tag]')
    await page.fill('[data-test=tag-input]', 'refund')
    await page.press('[data-test=tag-input]', 'Enter')
    await page.locator('[data-test=tag]', { hasText: 'refund' }).waitFor()
    await expect
      .poll(async () => (await db().conversation.findUniqueOrThrow({ where: { id: conversationId } })).tags)
      .toEqual(['refund'])
    await page.selectOption('[data-test=priority]', '20')
    await expect
      .poll(async () => (await db().conversation.findUniqueOrThrow({ where: { id: conversationId } })).priority)
      .toBe(20)
    await page.locator(`[data-test=conversation-row][data-id="${conversationId}"]`, { hasText: 'Urgent' }).waitFor()
    await page.click('[data-test=mode-reply]')
    await liPage.screenshot('inbox-live-en-laptop')
    expect(liPage.errors).toEqual([])
  })

  it('a transfer to a colleague reaches them live; they resolve it', async () => {
    wangPage = await h.signedIn(wang.email, 'zh-CN', VIEWPORTS.desktop)
    watchConsole(wangPage)
    await wangPage.open('/inbox')
    await wangPage.page.locator('[data-test=inbox-list][data-live=true] [data-test=inbox-empty]').waitFor()

    const { page } = liPage
    await page.click('[data-test=transfer]')
    await page.click('[data-test=transfer-kind-agent]')
    await page.click(`[data-test=transfer-agents] input[data-agent="Wang Wei"]`)
    await page.fill('[data-test=transfer-note]', '客户要退款，订单已发货')
    await page.click('[data-test=transfer-submit]')
    await page.locator('.toast', { hasText: 'Transferred to Wang Wei' }).waitFor()
    // it leaves Li's "Mine" and arrives in Wang's, both without a reload
    await expect.poll(() => rowOf(page, conversationId).count()).toBe(0)
    await rowOf(wangPage.page, conversationId).waitFor({ timeout: 15_000 })
    await wangPage.page.locator('.toast', { hasText: '有新会话分配给你' }).waitFor()
    expect(await db().conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({
      status: 'assigned',
      assigneeId: wang.id,
    })

    const w = wangPage.page
    await rowOf(w, conversationId).click()
    await w.locator('[data-test=message][data-role=note]', { hasText: '客户要退款' }).waitFor()
    await w.locator('[data-test=conversation-assignee]', { hasText: '我' }).waitFor()
    await wangPage.screenshot('inbox-workspace-zh-desktop')
    await w.click('[data-test=resolve]')
    await w.locator('[data-test=reopen]').waitFor()
    expect((await db().conversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('resolved')
    await expect.poll(() => rowOf(w, conversationId).count()).toBe(0)
    await w.locator('[data-test=composer-input][placeholder*="重新打开"]').waitFor()
    expect(wangPage.errors).toEqual([])
  }, 60_000)

  it('stays responsive with 500 conversations in the inbox (figures printed)', async () => {
    const busy = await h.user('agent', 'Zhou Min')
    const pii = h.t.app.pii
    const start = Date.now() - 500 * 60_000
    const contacts = Array.from({ length: 500 }, (_, i) => ({
      id: `perf-contact-${i}`,
      nameEnc: pii.encrypt('contact.name', `Customer ${String(i).padStart(3, '0')}`),
    }))
    await db().contact.createMany({ data: contacts })
    await db().conversation.createMany({
      data: contacts.map((c, i) => ({
        id: `perf-conv-${String(i).padStart(3, '0')}`,
        contactId: c.id,
        channel: i % 3 === 0 ? 'wechat' : 'webchat',
        status: 'assigned',
        assigneeId: busy.id,
        priority: i % 17 === 0 ? 20 : 0,
        messageSeq: 1,
        lastMessageAt: new Date(start + i * 60_000),
        assignedAt: new Date(start + i * 60_000),
      })),
    })
    await db().message.createMany({
      data: contacts.map((_, i) => ({
        conversationId: `perf-conv-${String(i).padStart(3, '0')}`,
        channel: i % 3 === 0 ? 'wechat' : 'webchat',
        direction: 'inbound',
        body: `Question number ${i}: where is my order?`,
        seq: 1,
        createdAt: new Date(start + i * 60_000),
      })),
    })
    const perf = await h.signedIn(busy.email, 'en', VIEWPORTS.desktop)
    watchConsole(perf)
    const { page } = perf
    const t0 = Date.now()
    await perf.open('/inbox')
    await page.locator('[data-test=conversation-row]').first().waitFor()
    const firstRender = Date.now() - t0
    const rendered = await page.locator('[data-test=conversation-row]').count()
    expect(rendered).toBeLessThan(60)
    await page.locator('[data-view=mine] .view-count', { hasText: '500' }).waitFor()

    const t1 = Date.now()
    for (let i = 0; i < 200; i++) {
      await page.locator('[data-test=inbox-rows]').evaluate((el) => (el.scrollTop = el.scrollHeight))
      if (await rowOf(page, 'perf-conv-000').count()) break
      await page.waitForTimeout(50)
    }
    await rowOf(page, 'perf-conv-000').waitFor()
    const scrollAll = Date.now() - t1
    // frames while scrolling back up through the list
    const frames = await page.locator('[data-test=inbox-rows]').evaluate(async (el) => {
      const times: number[] = []
      let last = performance.now()
      for (let top = el.scrollHeight; top > 0; top -= 600) {
        el.scrollTop = top
        await new Promise((r) => requestAnimationFrame(() => r(null)))
        const now = performance.now()
        times.push(now - last)
        last = now
      }
      times.sort((a, b) => a - b)
      return { frames: times.length, median: times[Math.floor(times.length / 2)]!, worst: times.at(-1)! }
    })
    const t2 = Date.now()
    await rowOf(page, 'perf-conv-499').click()
    await page.locator('[data-test=message][data-role=customer]', { hasText: 'Question number 499' }).waitFor()
    const openThread = Date.now() - t2
    console.log(
      `[inbox 500] first rows ${firstRender} ms; DOM rows ${rendered}; all 500 loaded by scrolling ${scrollAll} ms; ` +
        `scroll frames ${frames.frames}, median ${frames.median.toFixed(1)} ms, worst ${frames.worst.toFixed(1)} ms; ` +
        `open a conversation ${openThread} ms`,
    )
    expect(await page.locator('[data-test=conversation-row]').count()).toBeLessThan(60)
    expect(perf.errors).toEqual([])
  }, 120_000)

  it('screenshots: inbox and workspace in zh-CN and English at 1280×800 and 1920×1080', async () => {
    const chen = await h.user('agent', 'Chen Jing')
    const afterSales = await db().queue.findFirstOrThrow({ where: { name: 'After-sales' } })
    await db().queueMember.create({ data: { queueId: afterSales.id, userId: chen.id } })
    const conversations = h.t.app.services.conversations
    const people: Array<[string, string, string[], number, string]> = [
      ['王芳', '我买的耳机左边没声音，可以换一个吗？', ['vip'], 20, 'assigned'],
      ['Emily Carter', 'Hi, my parcel says delivered but I have nothing.', [], 10, 'assigned'],
      ['刘洋', '发票抬头写错了，能重开吗？', [], 0, 'queued'],
      ['张伟', '请问周末发货吗？', [], 0, 'assigned'],
      ['Tom Becker', 'Can I change the delivery address?', [], 0, 'queued'],
    ]
    let showcase = ''
    for (const [i, [name, text, tags, priority, status]] of people.entries()) {
      const received = await conversations.receive({
        channelPlugin: 'channel-webchat',
        channel: 'webchat',
        identityKind: 'web-visitor',
        message: {
          channelMessageId: `shot-${i}:1`,
          from: { id: `v_screenshot_visitor_${i}`, kind: 'web-visitor', name },
          kind: 'text',
          text,
          receivedAt: new Date().toISOString(),
        },
      })
      await conversations.drain()
      const contact = await db().conversation.findUniqueOrThrow({ where: { id: received.conversationId } })
      await db().contact.update({ where: { id: contact.contactId }, data: { tags } })
      await db().conversation.update({
        where: { id: received.conversationId },
        data: {
          status,
          priority,
          queueId: afterSales.id,
          assigneeId: status === 'assigned' ? chen.id : null,
          queuedAt: new Date(Date.now() - (i + 2) * 70_000),
        },
      })
      if (i === 0) showcase = received.conversationId
    }
    const chenActor = { userId: chen.id, email: chen.email, ip: null }
    await conversations.deliverFlowOutputs(showcase, [
      { kind: 'message', text: '您好，我是智能客服。请问是哪个订单？' } as never,
    ])
    await conversations.post(chenActor, showcase, {
      text: '您好王女士，我是客服陈静，这就为您安排换货。',
      internal: false,
    })
    await conversations.post(chenActor, showcase, { text: '已核实：耳机在保修期内，走换货流程。', internal: true })
    await conversations.update(chenActor, showcase, { tags: ['换货', '耳机'] })
    await conversations.receive({
      channelPlugin: 'channel-webchat',
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: 'shot-0:2',
        from: { id: 'v_screenshot_visitor_0', kind: 'web-visitor' },
        kind: 'text',
        text: '好的，需要我寄回旧的吗？',
        receivedAt: new Date().toISOString(),
      },
    })

    const shots: Array<[ConsoleLocale, keyof typeof VIEWPORTS]> = [
      ['zh-CN', 'laptop'],
      ['zh-CN', 'desktop'],
      ['en', 'laptop'],
      ['en', 'desktop'],
    ]
    for (const [locale, size] of shots) {
      const session = await h.signedIn(chen.email, locale, VIEWPORTS[size])
      watchConsole(session)
      await session.open('/inbox')
      await session.page.locator('[data-test=conversation-row]').nth(2).waitFor()
      await session.page.click('[data-view=queues]')
      await session.page.locator('[data-test=conversation-row]').nth(4).waitFor()
      await session.screenshot(`inbox-list-${locale}-${size}`)
      await session.open(`/inbox/${showcase}`)
      await session.page.locator('[data-test=message][data-role=note]').waitFor()
      await session.page.locator('[data-test=message][data-role=customer]', { hasText: '寄回' }).waitFor()
      await session.page.waitForTimeout(600)
      await session.screenshot(`inbox-workspace-${locale}-${size}`)
      expect(session.errors).toEqual([])
      await session.context.close()
    }
  }, 120_000)
})
