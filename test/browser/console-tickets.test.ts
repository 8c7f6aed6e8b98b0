import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { chromiumInstalled } from '../support/chromium.js'
import {
  consoleBuilt,
  screenshotDir,
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
const docsImages = join(root, 'docs', 'images', 'console')
const actor = systemActor('test')

type User = { id: string; email: string; token: string }

/** Vue reports a component that failed to render (a bad translation, say) on the console, not as a page error. */
function watchConsole(session: ConsolePage) {
  session.page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('Failed to load resource')) session.errors.push(m.text())
  })
}

/**
 * Tickets in the console, in real Chromium against a real core: an L1 agent turns a customer's
 * conversation into a ticket, writes an internal note and escalates it to L2 with a reason; the L2
 * agent, who was told by a notification, opens the ticket and reads the whole story — the
 * customer's messages, the note, the escalation with its reason. Then the board (a drag changes the
 * status; a drag on a ticket someone else changed meanwhile is refused and the board reloads), the
 * SLA policy editor, and screenshots of each in English and Chinese for the guides.
 */
describe.skipIf(!chromiumInstalled || !consoleBuilt)('console: tickets, escalation, SLA', () => {
  let h: ConsoleHarness
  let admin: User
  let liNa: User
  let zhang: User
  let l1Id = ''
  let l2Id = ''
  let conversationId = ''
  let contactId = ''
  let ticketId = 0
  let liPage: ConsolePage
  let zhangPage: ConsolePage
  let wangFang: User
  const builds: Array<{ remove(): void }> = []
  const db = () => h.t.app.db
  const reason = 'Refund above the L1 limit (¥2,000): needs an L2 decision / 退款金额超出一线权限'
  const noteText = 'Customer sent photos of the broken screen; order 2026111812345 was delivered on Nov 18.'

  async function api<T>(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown): Promise<T> {
    const res = await h.t.app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
    expect(res.statusCode, `${method} ${url}: ${res.payload}`).toBeLessThan(300)
    return JSON.parse(res.payload) as T
  }

  beforeAll(async () => {
    h = await startConsole()
    const { app } = h.t
    // the web chat channel, so the conversation is a real one (the ticket's notice goes out on it)
    await app.services.plugins.start()
    const webchat = await builtPluginCopy(join(root, 'plugins', 'channel-webchat'))
    builds.push(webchat)
    await app.services.plugins.install({ dir: webchat.dir }, { actor })
    admin = await h.user('admin', 'Admin Chen')
    liNa = await h.user('agent', 'Li Na')
    zhang = await h.user('agent', 'Zhang Wei')
    wangFang = await h.user('agent', 'Wang Fang')
    const other = wangFang
    const l1 = await app.services.teams.create(actor, { name: 'L1 support', description: '一线客服' })
    const l2 = await app.services.teams.create(actor, { name: 'L2 experts', description: '二线专家' })
    l1Id = l1.id
    l2Id = l2.id
    await app.services.teams.addMember(actor, l1Id, liNa.id)
    await app.services.teams.addMember(actor, l1Id, other.id)
    await app.services.teams.addMember(actor, l2Id, zhang.id)

    // SLA: urgent tickets get a first answer within a minute (so the list shows a breach by the time
    // the screenshots are taken), high ones warn after a minute; the rest: 1 h / 8 h, around the clock
    for (const policy of [
      {
        name: 'Urgent',
        position: 0,
        description: 'Urgent tickets: answered within a minute',
        conditions: { priorities: ['urgent'] },
        targets: { firstResponse: 1 },
      },
      {
        name: 'High priority',
        position: 10,
        description: 'VIP and high-priority tickets',
        conditions: { priorities: ['high'] },
        targets: { firstResponse: 3, resolution: 240 },
        warnBeforeMinutes: 2,
      },
      {
        name: 'Standard',
        position: 20,
        description: 'Every other ticket',
        targets: { firstResponse: 60, resolution: 480 },
        warnBeforeMinutes: 15,
      },
    ])
      await api(admin.token, 'POST', '/api/v1/sla/policies', policy)

    const contact = await app.services.contacts.create({
      name: '陈女士 Ms. Chen',
      phone: '+86 139 0000 1234',
      language: 'zh-CN',
      tags: ['vip'],
      identities: [{ channel: 'web-visitor', address: 'visitor-chen', verified: true }],
    })
    contactId = contact.id
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000)
    const conversation = await db().conversation.create({
      data: {
        contactId,
        channel: 'webchat',
        channelPlugin: 'channel-webchat',
        identityId: contact.identities[0]!.id,
        status: 'assigned',
        assigneeId: liNa.id,
        assignedAt: at(12),
        messageSeq: 4,
        lastMessageAt: at(2),
        createdAt: at(14),
      },
    })
    conversationId = conversation.id
    const thread: Array<[string, 'inbound' | 'outbound', string | null]> = [
      ['你好，我上周买的平板电脑屏幕碎了，订单号 2026111812345', 'inbound', null],
      ['您好陈女士，非常抱歉！请问方便拍几张照片发给我们吗？', 'outbound', liNa.id],
      ['照片已经发了。我想要全额退款，¥2,399', 'inbound', null],
      ['收到，退款金额超出我的权限，我为您升级给专家处理。', 'outbound', liNa.id],
    ]
    for (const [i, [body, direction, authorUserId]] of thread.entries())
      await db().message.create({
        data: {
          conversationId,
          channel: 'webchat',
          direction,
          body,
          seq: i + 1,
          status: direction === 'inbound' ? 'received' : 'sent',
          authorUserId,
          ...(authorUserId ? { payload: { by: 'agent' } } : {}),
          createdAt: at(12 - i * 3),
        },
      })

    // other tickets, so the list and the board look like a working day
    const seeds: Array<Record<string, unknown>> = [
      {
        subject: '快递显示已签收但没收到 — parcel marked delivered, not received',
        priority: 'urgent',
        category: 'delivery',
      },
      {
        subject: '发票抬头开错了，需要重开',
        priority: 'high',
        category: 'invoice',
        teamId: l1Id,
        assigneeId: wangFang.id,
      },
      {
        subject: 'Wrong size sent (ordered M, got L)',
        priority: 'normal',
        category: 'exchange',
        teamId: l1Id,
        assigneeId: liNa.id,
      },
      { subject: '会员积分没有到账', priority: 'low', category: 'loyalty' },
      {
        subject: 'Coupon code SPRING20 rejected at checkout',
        priority: 'normal',
        category: 'promotion',
        teamId: l1Id,
        assigneeId: wangFang.id,
      },
      {
        subject: '耳机左耳没有声音，申请换货',
        priority: 'high',
        category: 'defect',
        tier: 'L2',
        teamId: l2Id,
        assigneeId: zhang.id,
      },
    ]
    for (const seed of seeds) await api(liNa.token, 'POST', '/api/v1/tickets', seed)
    const pending = await api<{ id: number; version: number }>(liNa.token, 'POST', '/api/v1/tickets', {
      subject: '地址修改：上海市浦东新区 → 杭州市西湖区',
      priority: 'normal',
      category: 'delivery',
      teamId: l1Id,
      assigneeId: liNa.id,
    })
    await api(liNa.token, 'PATCH', `/api/v1/tickets/${pending.id}`, { status: 'pending', version: pending.version })
    const done = await api<{ id: number; version: number }>(liNa.token, 'POST', '/api/v1/tickets', {
      subject: 'Refund for order 2026110500871 not received',
      priority: 'normal',
      category: 'refund',
      teamId: l1Id,
      assigneeId: liNa.id,
    })
    await api(liNa.token, 'PATCH', `/api/v1/tickets/${done.id}`, { status: 'resolved', version: done.version })
  }, 180_000)

  afterAll(async () => {
    await h?.close()
    for (const b of builds) b.remove()
  })

  it('the L2 agent is signed in, on the tickets page', async () => {
    zhangPage = await h.signedIn(zhang.email, 'en', VIEWPORTS.laptop)
    watchConsole(zhangPage)
    await zhangPage.open('/tickets')
    await zhangPage.page.locator('[data-test=tickets-table]').waitFor()
    // before the escalation the L2 agent does not see the conversation's ticket: there is none yet
    expect(await zhangPage.page.locator('[data-test=realtime-status]').innerText()).toBeTruthy()
  })

  it('an L1 agent turns the conversation into a ticket from the workspace', async () => {
    liPage = await h.signedIn(liNa.email, 'en', VIEWPORTS.laptop)
    watchConsole(liPage)
    const { page } = liPage
    await liPage.open(`/inbox/${conversationId}`)
    await page.locator('[data-test=message][data-role=customer]', { hasText: '屏幕碎了' }).waitFor()
    await page.locator('[data-test=ticket-strip]', { hasText: 'No ticket for this conversation' }).waitFor()
    await page.click('[data-test=create-ticket]')
    // the subject starts from the customer's last words; the agent writes a better one
    await expect.poll(() => page.inputValue('[data-test=ticket-subject]')).toContain('全额退款')
    await page.fill('[data-test=ticket-subject]', 'Tablet arrived with a broken screen — full refund requested')
    await page.selectOption('[data-test=ticket-priority]', 'high')
    await page.fill('[data-test=ticket-category]', 'refund')
    await page.selectOption('[data-test=ticket-team]', { label: 'L1 support' })
    await liPage.screenshot('ticket-create-en')
    await page.click('[data-test=ticket-create-submit]')
    const chip = page.locator('[data-test=linked-ticket]')
    await chip.waitFor()
    ticketId = Number(await chip.getAttribute('data-ticket'))
    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })
    expect(ticket).toMatchObject({
      subject: 'Tablet arrived with a broken screen — full refund requested',
      priority: 'high',
      category: 'refund',
      tier: 'L1',
      teamId: l1Id,
      contactId,
      conversationId,
      status: 'open',
    })
    expect(await db().ticketConversation.count({ where: { ticketId, conversationId } })).toBe(1)
    await page.locator('.toast', { hasText: `Ticket #${ticketId} created` }).waitFor()
    // the customer is told in their conversation, with the status link
    await page.locator('[data-test=message]', { hasText: `#${ticketId}` }).waitFor()
    await page.mouse.move(0, 0)
    await liPage.screenshot('inbox-ticket-strip-en')
  })

  it('adds an internal note and escalates to L2 with a reason', async () => {
    const { page } = liPage
    await page.click(`[data-test=linked-ticket][data-ticket="${ticketId}"]`)
    await page.waitForURL(`**/tickets/${ticketId}`)
    await page.locator('[data-test=ticket-subject]', { hasText: 'broken screen' }).waitFor()
    // the SLA policy for high priority applies: its clocks count down on the page
    await page.locator('[data-test=sla-clock][data-metric=first_response]').waitFor()

    await page.fill('[data-test=note-input]', noteText)
    await page.setInputFiles('[data-test=note-files]', {
      name: 'screen.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('photo list: IMG_2041.jpg, IMG_2042.jpg'),
    })
    await page.click('[data-test=note-submit]')
    await page.locator('[data-test=history-note]', { hasText: 'broken screen' }).waitFor()
    await page.locator('[data-test=history-note] [data-test=attachment]', { hasText: 'screen.txt' }).waitFor()
    const note = await db().ticketNote.findFirstOrThrow({ where: { ticketId }, include: { attachments: true } })
    expect(note).toMatchObject({ body: noteText, authorId: liNa.id })
    expect(note.attachments.map((a) => a.fileName)).toEqual(['screen.txt'])

    await page.click('[data-test=ticket-escalate]')
    const form = page.locator('[data-test=escalate-form]')
    await form.waitFor()
    // the next tier up is chosen already; the agent picks the team and says why
    expect(await form.locator('[data-test=escalate-tier-L2]').isChecked()).toBe(true)
    await page.selectOption('[data-test=escalate-team]', { label: 'L2 experts' })
    // the reason is required: the dialog says so before anything is sent
    await page.click('[data-test=escalate-submit]')
    await form.locator('[data-test=error-reason]').waitFor()
    await page.fill('[data-test=escalate-reason]', reason)
    await liPage.screenshot('ticket-escalate-en')
    await page.click('[data-test=escalate-submit]')
    await page.locator('.toast', { hasText: 'Escalated to L2 · L2 experts' }).waitFor()
    await expect
      .poll(async () => {
        const t = await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })
        return `${t.tier}/${t.teamId}/${t.assigneeId}`
      })
      .toBe(`L2/${l2Id}/null`)
    const escalated = await db().ticketEvent.findFirstOrThrow({ where: { ticketId, kind: 'escalated' } })
    expect(escalated.actorId).toBe(liNa.id)
    expect(escalated.data).toMatchObject({ reason, from: { tier: 'L1' }, to: { tier: 'L2', teamId: l2Id } })
    // the ticket left the L1 agent's view with the escalation: the page goes back to the list
    await page.waitForURL(/\/tickets$/)
    expect(liPage.errors).toEqual([])
  })

  it('the L2 agent is told, opens the ticket and sees the conversation, the note and the escalation', async () => {
    const { page } = zhangPage
    // the notification arrives live on the L2 agent's shell; a click opens the ticket
    const pop = page.locator('[data-test=notification-pop][data-kind="ticket.escalated"]')
    await pop.waitFor({ timeout: 20_000 })
    expect(await pop.innerText()).toContain(`#${ticketId}`)
    // the list they have open shows it now, without a reload (the /tickets socket)
    await page.locator(`[data-test=ticket-row][data-ticket="${ticketId}"]`).waitFor({ timeout: 10_000 })
    await page.locator('[data-test=notifications-unread]').waitFor()
    await page.mouse.move(0, 0)
    await zhangPage.screenshot('notifications-en')
    await pop.click()
    await page.waitForURL(`**/tickets/${ticketId}`)
    // the bell keeps it: read now, one click away
    await page.click('[data-test=notifications-bell]')
    await page
      .locator('[data-test=notifications-panel] [data-test=notification-item][data-kind="ticket.escalated"]')
      .waitFor()
    await page.click('[data-test=notifications-bell]')

    await page.locator('[data-test=ticket-subject]', { hasText: 'broken screen' }).waitFor()
    const history = page.locator('[data-test=ticket-history]')
    await history.locator('[data-test=history-note]', { hasText: noteText }).waitFor()
    const escalation = history.locator('[data-test=history-item][data-kind=escalated]')
    await escalation.waitFor()
    expect(await escalation.innerText()).toContain('Li Na escalated the ticket')
    expect(await escalation.locator('[data-test=history-reason]').innerText()).toBe(reason)
    expect(await escalation.innerText()).toContain('L2 experts')
    expect(await history.locator('[data-test=history-item][data-kind=created]').innerText()).toContain('Li Na')

    // the customer's conversation, readable right here although the L2 agent never had it
    await page.click('[data-test=tab-conversations]')
    const messages = page.locator('[data-test=linked-messages]')
    await messages.locator('[data-test=message][data-role=customer]', { hasText: '屏幕碎了' }).waitFor()
    expect(await messages.locator('[data-test=message][data-role=customer]').count()).toBe(2)
    expect(await messages.locator('[data-test=message][data-role=agent]').count()).toBe(2)
    expect(await messages.innerText()).toContain('我为您升级给专家处理')

    // and the list of the L2 agent shows it with its tier
    await zhangPage.open('/tickets')
    const row = page.locator(`[data-test=ticket-row][data-ticket="${ticketId}"]`)
    await row.waitFor()
    expect(await row.innerText()).toContain('L2')
    expect(zhangPage.errors).toEqual([])
  })

  it('the board moves a ticket by drag and drop, and refuses a stale drag', async () => {
    const { page } = zhangPage
    await zhangPage.open('/tickets/board')
    const card = page.locator(`[data-test=board-card][data-ticket="${ticketId}"]`)
    await page
      .locator(`[data-test=board-column][data-status=open] [data-test=board-card][data-ticket="${ticketId}"]`)
      .waitFor()
    await card.dragTo(page.locator('[data-test=board-column][data-status=pending]'))
    await page
      .locator(`[data-test=board-column][data-status=pending] [data-test=board-card][data-ticket="${ticketId}"]`)
      .waitFor()
    await expect
      .poll(async () => (await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })).status)
      .toBe('pending')

    // someone else changes the ticket after the board was read: the next drag is refused (409)
    const now = await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })
    await api(zhang.token, 'PATCH', `/api/v1/tickets/${ticketId}`, { priority: 'urgent', version: now.version })
    await card.dragTo(page.locator('[data-test=board-column][data-status=resolved]'))
    await page.locator('.toast', { hasText: 'Someone else changed this ticket meanwhile' }).waitFor()
    // the board shows the ticket as it is: still pending, now urgent
    await page
      .locator(`[data-test=board-column][data-status=pending] [data-test=board-card][data-ticket="${ticketId}"]`, {
        hasText: 'Urgent',
      })
      .waitFor()
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe('pending')
    expect(zhangPage.errors).toEqual([])
  })

  it('an admin edits an SLA policy: targets, conditions, business hours', async () => {
    const s = await h.signedIn(admin.email, 'en', VIEWPORTS.laptop)
    watchConsole(s)
    const { page } = s
    await s.open('/admin/sla')
    await page.locator('[data-test=sla-policy-row][data-policy="Standard"]').waitFor()
    await page.click('[data-test=sla-policy-row][data-policy="Standard"] [data-test=policy-edit]')
    const form = page.locator('[data-test=sla-policy-form]')
    await form.waitFor()
    expect(await page.inputValue('[data-test=target-firstResponse]')).toBe('1')
    // a warning that is not before the first-response target is refused, beside its field
    await page.fill('[data-test=warn-before]', '90')
    await page.click('[data-test=policy-save]')
    await form.locator('[data-test=error-warnBeforeMinutes]').waitFor()
    await page.fill('[data-test=warn-before]', '15')
    await page.click('[data-test=policy-tab-hours]')
    await page.check('[data-test=policy-has-hours]')
    await page.locator('[data-test=business-hours] [data-test=hours-preview]').waitFor()
    await page.click('[data-test=policy-tab-policy]')
    await page.click('[data-test=policy-save]')
    await form.waitFor({ state: 'detached' })
    const saved = await db().slaPolicy.findUniqueOrThrow({ where: { name: 'Standard' } })
    expect(saved.warnBeforeMinutes).toBe(15)
    expect(saved.businessHours).toMatchObject({ weekly: { mon: [['09:00', '18:00']] } })
    expect(s.errors).toEqual([])
  })

  /** Waits for the SLA jobs to have put the seeded urgent ticket in breach (a one-minute target). */
  async function breachShown() {
    await expect
      .poll(async () => db().ticket.count({ where: { slaState: 'breached' } }), { timeout: 120_000, interval: 2000 })
      .toBeGreaterThan(0)
  }

  async function shoot(page: Page, session: ConsolePage, name: string, locale: ConsoleLocale) {
    await page.mouse.move(0, 0)
    await session.screenshot(`${name}-${locale}`)
  }

  /**
   * What the callbacks, surveys and recurring-issues pages read, written straight into the tables:
   * these pages only show rows (their modules' own suites test how the rows come about).
   */
  async function seedFollowUps() {
    const queue = await db().queue.create({ data: { name: 'After-sales', description: '售后' } })
    const inHours = (h: number) => new Date(Date.now() + h * 3600_000)
    const phoneEnc = h.t.app.pii.encrypt('contact.phone', '+8613900001234')
    await db().callback.createMany({
      data: [
        {
          contactId,
          conversationId,
          queueId: queue.id,
          mode: 'voice',
          phoneEnc,
          note: '客户希望下午回电确认退款进度',
          source: 'agent',
          status: 'assigned',
          assigneeId: zhang.id,
          windowStart: inHours(-0.5),
          windowEnd: inHours(1.5),
          dueAt: inHours(-0.5),
          attempts: 1,
          history: [{ at: inHours(-0.4).toISOString(), agentId: zhang.id, outcome: 'no-answer', note: '', attempt: 1 }],
        },
        {
          contactId,
          queueId: queue.id,
          mode: 'voice',
          phoneEnc,
          note: 'After-hours call: wants to change the delivery address',
          source: 'flow',
          status: 'scheduled',
          windowStart: inHours(16),
          windowEnd: inHours(18),
          dueAt: inHours(16),
        },
        {
          contactId,
          queueId: queue.id,
          mode: 'message',
          note: '排队时选择回呼',
          source: 'queue-offer',
          status: 'completed',
          assigneeId: liNa.id,
          outcome: 'completed',
          windowStart: inHours(-5),
          dueAt: inHours(-5),
          attempts: 1,
          completedAt: inHours(-4.8),
        },
      ],
    })
    const answers: Array<[number, string | null, string, string]> = [
      [5, '非常满意，处理很快！', liNa.id, l1Id],
      [4, 'Quick and friendly', liNa.id, l1Id],
      [5, null, wangFang.id, l1Id],
      [2, '等了两天才有人回复', wangFang.id, l1Id],
      [5, '专家很专业，退款已到账', zhang.id, l2Id],
      [4, null, zhang.id, l2Id],
      [1, '太慢了，问题还没解决', liNa.id, l1Id],
    ]
    for (const [i, [score, comment, agentId, teamId]] of answers.entries()) {
      const at = new Date(Date.now() - (i + 1) * 5 * 3600_000)
      await db().survey.create({
        data: {
          kind: 'csat',
          status: 'answered',
          contactId,
          agentId,
          teamId,
          sendAt: at,
          sentAt: at,
          answeredAt: new Date(at.getTime() + 40 * 60_000),
          score,
          comment,
          ...(score <= 2 ? { followUpTicketId: ticketId } : {}),
        },
      })
    }
    for (const [score, agentId, teamId] of [
      [10, liNa.id, l1Id],
      [9, zhang.id, l2Id],
      [6, wangFang.id, l1Id],
    ] as const) {
      const at = new Date(Date.now() - 30 * 3600_000)
      await db().survey.create({
        data: {
          kind: 'nps',
          status: 'answered',
          contactId,
          agentId,
          teamId,
          sendAt: at,
          sentAt: at,
          answeredAt: at,
          score,
        },
      })
    }
    const unanswered = new Date(Date.now() - 20 * 3600_000)
    await db().survey.createMany({
      data: [0, 1].map(() => ({
        kind: 'csat',
        status: 'sent',
        contactId,
        agentId: liNa.id,
        teamId: l1Id,
        sendAt: unanswered,
        sentAt: unanswered,
      })),
    })

    const earlier: string[] = []
    for (const [daysAgo, text] of [
      [5, '我的快递到哪了？订单号 2026111855021'],
      [3, '快递还是没到，订单 2026111855021 物流一直没更新'],
      [0.2, '第三次问了：订单 2026111855021 到底什么时候到？'],
    ] as const) {
      const created = new Date(Date.now() - daysAgo * 86_400_000)
      const c = await db().conversation.create({
        data: {
          contactId,
          channel: 'webchat',
          status: 'resolved',
          intent: 'order-status',
          lastAgentId: liNa.id,
          messageSeq: 2,
          createdAt: created,
          resolvedAt: new Date(created.getTime() + 15 * 60_000),
          lastMessageAt: new Date(created.getTime() + 10 * 60_000),
        },
      })
      await db().message.createMany({
        data: [
          { conversationId: c.id, channel: 'webchat', direction: 'inbound', body: text, seq: 1, createdAt: created },
          {
            conversationId: c.id,
            channel: 'webchat',
            direction: 'outbound',
            body: '已为您催促快递公司，预计明天送达。',
            seq: 2,
            status: 'sent',
            authorUserId: liNa.id,
            payload: { by: 'agent' },
            createdAt: new Date(created.getTime() + 10 * 60_000),
          },
        ],
      })
      earlier.push(c.id)
    }
    await db().recurringIssue.create({
      data: {
        contactId,
        issueKey: 'intent:order-status',
        label: '查询物流 / Where is my parcel (order 2026111855021)',
        occurrences: 3,
        conversationIds: earlier,
        // the seeded "parcel marked delivered, not received" ticket
        ticketIds: [1],
        status: 'open',
        proposal: {
          question: '快递一直显示运输中，没有更新怎么办？',
          answer:
            '物流超过 48 小时未更新时，我们会主动联系快递公司核实，并在 24 小时内给您回复；如包裹丢失，将为您补发或全额退款。',
          kbEntryId: null,
        },
        raisedAt: new Date(Date.now() - 2 * 3600_000),
      },
    })
  }

  it('keeps screenshots of the tickets, the board, a ticket, the SLA pages, callbacks, surveys and recurring issues', async () => {
    await seedFollowUps()
    await breachShown()
    for (const locale of ['en', 'zh-CN'] as const) {
      const s = await h.signedIn(admin.email, locale, VIEWPORTS.laptop)
      watchConsole(s)
      const { page } = s
      await s.open('/tickets')
      await page.locator('[data-test=tickets-table] [data-test=sla-badge][data-sla=breached]').first().waitFor()
      await shoot(page, s, 'tickets-list', locale)
      await s.open('/tickets/board')
      await page.locator('[data-test=board-column][data-status=resolved] [data-test=board-card]').first().waitFor()
      await shoot(page, s, 'tickets-board', locale)
      await s.open(`/tickets/${ticketId}`)
      await page.locator('[data-test=history-item][data-kind=escalated]').waitFor()
      await page.locator('[data-test=sla-clock]').first().waitFor()
      await shoot(page, s, 'ticket-detail', locale)
      await page.click('[data-test=tab-conversations]')
      await page.locator('[data-test=linked-messages] [data-test=message]').first().waitFor()
      await shoot(page, s, 'ticket-conversation', locale)

      await s.open('/admin/sla')
      await page.click('[data-test=sla-policy-row][data-policy="High priority"] [data-test=policy-edit]')
      await page.locator('[data-test=sla-policy-form]').waitFor()
      await shoot(page, s, 'sla-policy-editor', locale)
      await page.click('[data-test=policy-tab-hours]')
      await page.check('[data-test=policy-has-hours]')
      await page.locator('[data-test=hours-preview] strong').waitFor()
      await shoot(page, s, 'sla-policy-hours', locale)
      await page.keyboard.press('Escape')
      await page.locator('[data-test=sla-policy-form]').waitFor({ state: 'detached' })
      await shoot(page, s, 'sla-policies', locale)

      await s.open('/callbacks')
      await page.click('[data-view=all]')
      await page.locator('[data-test=callback-row]').nth(2).waitFor()
      await shoot(page, s, 'callbacks', locale)
      await s.open('/admin/surveys')
      await page.locator('[data-test=survey-answer]').first().waitFor()
      await shoot(page, s, 'surveys', locale)
      await s.open('/recurring-issues')
      await page.click('[data-test=recurring-row]')
      await page.locator('[data-test=recurring-conversation]').nth(2).waitFor()
      await shoot(page, s, 'recurring-issues', locale)
      expect(s.errors).toEqual([])
      await s.context.close()
    }
    // the guides show these (docs/agent-guide.md, supervisor-guide.md, admin-guide.md)
    mkdirSync(docsImages, { recursive: true })
    const kept = [
      'ticket-create-en',
      'inbox-ticket-strip-en',
      'ticket-escalate-en',
      'notifications-en',
      ...[
        'tickets-list',
        'tickets-board',
        'ticket-detail',
        'ticket-conversation',
        'sla-policy-editor',
        'sla-policy-hours',
        'sla-policies',
        'callbacks',
        'surveys',
        'recurring-issues',
      ].flatMap((n) => [`${n}-en`, `${n}-zh-CN`]),
    ]
    for (const name of kept) {
      const file = join(screenshotDir, `${name}.png`)
      expect(existsSync(file), name).toBe(true)
      copyFileSync(file, join(docsImages, `${name}.png`))
    }
  }, 300_000)
})
