import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

interface Detail {
  id: number
  subject: string
  status: string
  priority: string
  tier: string
  source: string
  version: number
  teamId: string | null
  assigneeId: string | null
  contactId: string | null
  conversationId: string | null
  mergedIntoId: number | null
  resolvedAt: string | null
  closedAt: string | null
  contact: { id: string; name: string | null } | null
  conversations: Array<{ id: string; channel: string }>
  notesCount: number
  attachments: Array<{ id: string; fileName: string; noteId: string | null; url: string }>
  statusUrl: string
}
interface HistoryItem {
  kind: string
  actorName: string
  data: Record<string, unknown>
  note: { id: string; body: string; attachments: Array<{ id: string }> } | null
}
interface List {
  items: Array<{ id: number; subject: string; assignee: { name: string } | null; team: { name: string } | null }>
  nextCursor: string | null
  counts: Record<string, number>
}
type User = { token: string; userId: string }

/**
 * The tickets API: opening a ticket from a conversation, what each role sees, optimistic
 * versions, escalation to another team (the new team sees everything, the old one nothing),
 * notes and files, merge and split, the customer's status link, the flow nodes, and bad input.
 */
describe('tickets API', () => {
  let t: TestApp
  let admin: User
  let front: User // an L1 agent in the Front desk team
  let billing: User // an L2 agent in the Billing team
  let loner: User // an agent in no team
  let supervisor: User // a supervisor of the Front desk team only
  let frontTeam: string
  let billingTeam: string
  let n = 0

  const call = async <T = Detail>(method: string, url: string, user: User | null, payload?: unknown) => {
    const res = await t.app.server.inject({
      method,
      url,
      payload: payload as object,
      headers: user ? bearer(user.token) : {},
    })
    return { status: res.statusCode, body: (res.payload ? JSON.parse(res.payload) : null) as T, raw: res }
  }

  /** A customer writes on the web chat (no channel plugin: replies are stored, not sent). */
  async function customerConversation(name: string, text: string, language = 'zh-CN') {
    const visitor = `v-${randomBytes(6).toString('hex')}`
    const received = await t.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${visitor}:${++n}`,
        from: { id: visitor, kind: 'web-visitor', name, language },
        kind: 'text',
        text,
        receivedAt: new Date().toISOString(),
      },
    })
    await t.app.services.conversations.drain()
    return received.conversationId
  }

  /** The conversation assigned to an agent (so they may see it). */
  const assign = (conversationId: string, userId: string) =>
    t.app.db.conversation.update({ where: { id: conversationId }, data: { status: 'assigned', assigneeId: userId } })

  beforeAll(async () => {
    t = await createTestApp()
    admin = await t.tokenFor('admin')
    front = await t.tokenFor('agent')
    billing = await t.tokenFor('agent')
    loner = await t.tokenFor('agent')
    supervisor = await t.tokenFor('supervisor')
    await t.app.db.user.update({ where: { id: front.userId }, data: { name: '李娜 Li Na' } })
    await t.app.db.user.update({ where: { id: billing.userId }, data: { name: 'Emma Clark' } })
    frontTeam = (await t.app.services.teams.create(actor, { name: 'Front desk' })).id
    billingTeam = (await t.app.services.teams.create(actor, { name: 'Billing L2' })).id
    await t.app.db.teamMember.createMany({
      data: [
        { teamId: frontTeam, userId: front.userId },
        { teamId: frontTeam, userId: supervisor.userId },
        { teamId: billingTeam, userId: billing.userId },
      ],
    })
  })
  afterAll(() => t?.close())

  describe('opening a ticket from a conversation', () => {
    it('links the conversation, takes its contact and first line, and tells the customer with the status link', async () => {
      const conversationId = await customerConversation('李女士', '你好，上周买的口红漏了，订单号 12345')
      await assign(conversationId, front.userId)
      const res = await call('POST', `/api/v1/conversations/${conversationId}/ticket`, front, {
        priority: 'high',
        category: 'after-sales.defect',
        teamId: frontTeam,
      })
      expect(res.status).toBe(201)
      const conversation = await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })
      expect(res.body).toMatchObject({
        subject: '你好，上周买的口红漏了，订单号 12345',
        status: 'open',
        priority: 'high',
        tier: 'L1',
        source: 'agent',
        conversationId,
        contactId: conversation.contactId,
        contact: { id: conversation.contactId, name: '李女士' },
        conversations: [{ id: conversationId, channel: 'webchat' }],
        teamId: frontTeam,
        version: 0,
      })
      expect(res.body.statusUrl).toMatch(/^http:\/\/[^/]+\/tickets\/status\/[0-9a-f]{48}$/)

      // the customer hears about it in their conversation, in their language, with the link
      const messages = await call<Array<{ body: string; direction: string; payload: { by?: string } }>>(
        'GET',
        `/api/v1/conversations/${conversationId}/messages`,
        front,
      )
      const told = messages.body.filter((m) => m.direction === 'outbound' && m.body.includes(`#${res.body.id}`))
      expect(told).toHaveLength(1)
      expect(told[0]!.body).toContain('已为您创建工单')
      expect(told[0]!.body).toContain(res.body.statusUrl)

      const history = await call<HistoryItem[]>('GET', `/api/v1/tickets/${res.body.id}/history`, front)
      expect(history.body).toMatchObject([{ kind: 'created', actorName: '李娜 Li Na', data: { source: 'agent' } }])
      expect(await t.app.services.tickets.findOpenForConversation(conversationId)).toMatchObject({ id: res.body.id })
    })

    it('refuses a conversation the agent may not see, and an unknown one', async () => {
      const conversationId = await customerConversation('王先生', '发票开错了')
      await assign(conversationId, front.userId)
      expect((await call('POST', `/api/v1/conversations/${conversationId}/ticket`, loner, {})).status).toBe(403)
      expect((await call('POST', '/api/v1/conversations/nope/ticket', front, {})).status).toBe(404)
      expect((await call('POST', '/api/v1/tickets', admin, { subject: 'x', conversationId: 'nope' })).status).toBe(404)
    })

    it('does not tell the customer when the setting is off', async () => {
      expect((await call('PUT', '/api/v1/tickets/settings', supervisor, { customerUpdates: false })).status).toBe(403)
      expect((await call('PUT', '/api/v1/tickets/settings', admin, { customerUpdates: false })).body).toEqual({
        customerUpdates: false,
      })
      const conversationId = await customerConversation('Tom', 'My parcel never arrived', 'en')
      const created = await call('POST', `/api/v1/conversations/${conversationId}/ticket`, admin, {})
      expect(created.status).toBe(201)
      const outbound = await t.app.db.message.count({ where: { conversationId, direction: 'outbound' } })
      expect(outbound).toBe(0)
      await call('PUT', '/api/v1/tickets/settings', admin, { customerUpdates: true })
      await call('PATCH', `/api/v1/tickets/${created.body.id}`, admin, { status: 'pending' })
      const told = await t.app.db.message.findMany({ where: { conversationId, direction: 'outbound' } })
      expect(told.map((m) => m.body)).toEqual([
        expect.stringContaining(`Ticket #${created.body.id} is waiting for your reply`),
      ])
    })
  })

  describe('who sees what', () => {
    let ids: { frontTeam: number; billingTeam: number; noTeam: number; lonerOwn: number; frontMate: number }
    beforeAll(async () => {
      const make = async (subject: string, extra: Record<string, unknown>) =>
        (await t.app.services.tickets.create(actor, { subject: `scope ${subject}`, ...extra })).id
      ids = {
        frontTeam: await make('front team', { teamId: frontTeam }),
        billingTeam: await make('billing team', { teamId: billingTeam, tier: 'L2', priority: 'urgent' }),
        noTeam: await make('no team', {}),
        lonerOwn: await make('loner own', { teamId: billingTeam, assigneeId: loner.userId }),
        frontMate: await make('front mate', { teamId: billingTeam, assigneeId: front.userId }),
      }
    })
    const listed = async (user: User, query = '') =>
      (await call<List>('GET', `/api/v1/tickets?q=scope&limit=200${query}`, user)).body.items.map((i) => i.id).sort()

    it('agents see their own, their teams’ and team-less tickets; a team supervisor their teams’; admins all', async () => {
      expect(await listed(front)).toEqual([ids.frontTeam, ids.noTeam, ids.frontMate].sort())
      expect(await listed(billing)).toEqual([ids.billingTeam, ids.noTeam, ids.lonerOwn, ids.frontMate].sort())
      expect(await listed(loner)).toEqual([ids.noTeam, ids.lonerOwn].sort())
      // the Front desk supervisor: the team's tickets, team-less ones, and those assigned to a teammate
      expect(await listed(supervisor)).toEqual([ids.frontTeam, ids.noTeam, ids.frontMate].sort())
      expect(await listed(admin)).toEqual(Object.values(ids).sort())
      expect((await call('GET', `/api/v1/tickets/${ids.billingTeam}`, front)).status).toBe(403)
      expect((await call('GET', `/api/v1/tickets/${ids.billingTeam}`, billing)).status).toBe(200)
      expect((await call('GET', '/api/v1/tickets/999999', admin)).status).toBe(404)
    })

    it('filters by assignee, team, tier, priority, status and number, pages with a cursor and counts per status', async () => {
      expect(await listed(admin, '&assignee=none')).toEqual([ids.frontTeam, ids.billingTeam, ids.noTeam].sort())
      expect(await listed(front, '&assignee=me')).toEqual([ids.frontMate])
      expect(await listed(admin, `&teamId=${billingTeam}&tier=L2&priority=urgent,high`)).toEqual([ids.billingTeam])
      expect(await listed(admin, '&teamId=none')).toEqual([ids.noTeam])
      const byNumber = await call<List>('GET', `/api/v1/tickets?q=%23${ids.noTeam}`, admin)
      expect(byNumber.body.items.map((i) => i.id)).toContain(ids.noTeam)

      await t.app.services.tickets.update(actor, ids.noTeam, { status: 'pending' })
      const pending = await call<List>('GET', '/api/v1/tickets?q=scope&status=pending', admin)
      expect(pending.body.items.map((i) => i.id)).toEqual([ids.noTeam])
      expect(pending.body.counts).toEqual({ open: 4, pending: 1, resolved: 0, closed: 0 })

      const first = await call<List>('GET', '/api/v1/tickets?q=scope&limit=2&sort=createdAt', admin)
      expect(first.body.items.map((i) => i.id)).toEqual([ids.frontTeam, ids.billingTeam])
      const second = await call<List>(
        'GET',
        `/api/v1/tickets?q=scope&limit=2&sort=createdAt&cursor=${first.body.nextCursor}`,
        admin,
      )
      expect(second.body.items.map((i) => i.id)).toEqual([ids.noTeam, ids.lonerOwn])
      const row = first.body.items[1]!
      expect(row).toMatchObject({ team: { name: 'Billing L2' }, assignee: null })

      expect((await call('GET', '/api/v1/tickets?status=nope', admin)).status).toBe(400)
      expect((await call('GET', '/api/v1/tickets?cursor=garbage', admin)).status).toBe(400)
    })
  })

  describe('changes', () => {
    it('PATCH with a stale version is 409 and writes nothing; resolving and reopening set and clear the times', async () => {
      const created = await call('POST', '/api/v1/tickets', front, { subject: '退款进度', teamId: frontTeam })
      expect(created.status).toBe(201)
      const id = created.body.id
      const first = await call('PATCH', `/api/v1/tickets/${id}`, front, { priority: 'high', version: 0 })
      expect(first.body).toMatchObject({ priority: 'high', version: 1 })
      const stale = await call<{ code: string }>('PATCH', `/api/v1/tickets/${id}`, front, {
        priority: 'low',
        version: 0,
      })
      expect(stale.status).toBe(409)
      expect(stale.body.code).toBe('SB_ERR_CONFLICT')
      expect((await call('GET', `/api/v1/tickets/${id}`, front)).body.priority).toBe('high')

      const resolved = await call('PATCH', `/api/v1/tickets/${id}`, front, { status: 'resolved', version: 1 })
      expect(resolved.body.resolvedAt).not.toBeNull()
      expect(
        (await call('POST', `/api/v1/tickets/${id}/reopen`, front, { reason: 'customer wrote again' })).body,
      ).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null })
      expect((await call('POST', `/api/v1/tickets/${id}/reopen`, front, { reason: 'again' })).status).toBe(409)
      const kinds = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${id}/history`, front)).body.map((h) => h.kind)
      expect(kinds).toEqual(['created', 'updated', 'updated', 'reopened'])
    })

    it('answers bad input with a 4xx naming the field, and writes nothing', async () => {
      const before = await t.app.db.ticket.count()
      const cases: Array<[string, string, unknown, number, string?]> = [
        ['POST', '/api/v1/tickets', {}, 400, 'subject'],
        ['POST', '/api/v1/tickets', { subject: 'x', priority: 'asap' }, 400, 'priority'],
        ['POST', '/api/v1/tickets', { subject: 'x', teamId: 'no-such-team' }, 400, 'teamId'],
        ['POST', '/api/v1/tickets', { subject: 'x', assigneeId: 'no-such-user' }, 400, 'assigneeId'],
        ['POST', '/api/v1/tickets', { subject: 'x', colour: 'red' }, 400, 'colour'],
        ['POST', '/api/v1/tickets', { subject: '   ' }, 400, 'subject'],
      ]
      for (const [method, url, payload, status, path] of cases) {
        const res = await call<{ details: Array<{ path: string }> }>(method, url, admin, payload)
        expect(res.status, JSON.stringify(payload)).toBe(status)
        if (path) expect(res.body.details.map((d) => d.path).join(' ')).toContain(path)
      }
      expect(await t.app.db.ticket.count()).toBe(before)
      const id = (await t.app.services.tickets.create(actor, { subject: 'bad input' })).id
      expect((await call('PATCH', `/api/v1/tickets/${id}`, admin, {})).status).toBe(400)
      expect((await call('PATCH', `/api/v1/tickets/${id}`, admin, { status: 'done' })).status).toBe(400)
      expect((await call('POST', `/api/v1/tickets/${id}/escalate`, admin, { tier: 'L2' })).status).toBe(400)
      expect((await call('POST', `/api/v1/tickets/${id}/notes`, admin, { body: '' })).status).toBe(400)
      expect((await call('POST', `/api/v1/tickets/${id}/merge`, admin, { intoId: id })).status).toBe(400)
      expect((await call('GET', '/api/v1/tickets/abc', admin)).status).toBe(400)
      expect((await t.app.db.ticket.findUniqueOrThrow({ where: { id } })).version).toBe(0)
    })
  })

  describe('escalation by hand to another team', () => {
    let id: number
    let conversationId: string
    const notifications: Array<{ kind: string; userIds: string[]; link: string; body?: { en: string } }> = []

    beforeAll(async () => {
      await t.app.infra.bus.subscribe('notification', (event) => {
        notifications.push(event as (typeof notifications)[number])
      })
      conversationId = await customerConversation('陈先生', '退款 10 天了还没到账')
      await assign(conversationId, front.userId)
      const created = await call('POST', `/api/v1/conversations/${conversationId}/ticket`, front, {
        subject: '退款未到账',
        teamId: frontTeam,
        assigneeId: front.userId,
      })
      id = created.body.id
      await call('POST', `/api/v1/tickets/${id}/notes`, front, { body: '已核对，退款已发起，支付渠道无到账记录' })
    })

    it('L1 → L2 in the billing team: the reason and from/to are in the history, the team is notified', async () => {
      expect((await call('GET', `/api/v1/tickets/${id}`, billing)).status).toBe(403)
      const res = await call('POST', `/api/v1/tickets/${id}/escalate`, front, {
        teamId: billingTeam,
        reason: '超过 7 个工作日未到账，需要财务核对',
      })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ tier: 'L2', teamId: billingTeam, assigneeId: null, version: 1 })
      const history = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${id}/history`, billing)).body
      expect(history.map((h) => h.kind)).toEqual(['created', 'note', 'escalated'])
      expect(history[1]!.note?.body).toBe('已核对，退款已发起，支付渠道无到账记录')
      expect(history[2]).toMatchObject({
        actorName: '李娜 Li Na',
        data: {
          reason: '超过 7 个工作日未到账，需要财务核对',
          trigger: 'manual',
          from: { tier: 'L1', teamId: frontTeam, assigneeId: front.userId, teamName: 'Front desk' },
          to: { tier: 'L2', teamId: billingTeam, assigneeId: null, teamName: 'Billing L2' },
        },
      })
      await expect.poll(() => notifications.filter((x) => x.kind === 'ticket.escalated').length).toBe(1)
      expect(notifications.find((x) => x.kind === 'ticket.escalated')).toMatchObject({
        userIds: [billing.userId],
        link: `/tickets/${id}`,
        body: { en: expect.stringContaining('需要财务核对') },
      })
    })

    it('the new team’s agent sees the ticket and reads the linked conversation; the old team no longer sees it', async () => {
      const detail = await call('GET', `/api/v1/tickets/${id}`, billing)
      expect(detail.status).toBe(200)
      expect(detail.body.conversations.map((c) => c.id)).toEqual([conversationId])
      const thread = await call<Array<{ body: string }>>(
        'GET',
        `/api/v1/tickets/${id}/conversations/${conversationId}/messages`,
        billing,
      )
      expect(thread.status).toBe(200)
      expect(thread.body[0]!.body).toBe('退款 10 天了还没到账')
      const direct = await call<Array<{ body: string }>>(
        'GET',
        `/api/v1/conversations/${conversationId}/messages`,
        billing,
      )
      expect(direct.body[0]!.body).toBe('退款 10 天了还没到账')
      const list = await call<List>('GET', '/api/v1/tickets?tier=L2', billing)
      expect(list.body.items.map((i) => i.id)).toContain(id)

      for (const user of [front, loner]) {
        expect((await call('GET', `/api/v1/tickets/${id}`, user)).status).toBe(403)
        expect((await call('GET', `/api/v1/tickets/${id}/history`, user)).status).toBe(403)
        expect((await call('GET', `/api/v1/tickets/${id}/conversations/${conversationId}/messages`, user)).status).toBe(
          403,
        )
      }
      // the supervisor of the old team no longer sees it either; admins do
      expect((await call('GET', `/api/v1/tickets/${id}`, supervisor)).status).toBe(403)
      expect((await call('GET', `/api/v1/tickets/${id}`, admin)).status).toBe(200)
      // a conversation that is not linked is not readable through the ticket
      const other = await customerConversation('x', 'y')
      expect((await call('GET', `/api/v1/tickets/${id}/conversations/${other}/messages`, billing)).status).toBe(404)
    })

    it('a flow’s ticket takes the team of its conversation’s queue; a team-less one does not open the thread to every agent', async () => {
      const vip = await t.app.db.queue.create({
        data: { name: `vip-${randomBytes(3).toString('hex')}`, teamId: billingTeam },
      })
      const inQueue = await customerConversation('VIP 客户', '我的私人订单信息')
      await t.app.db.conversation.update({ where: { id: inQueue }, data: { queueId: vip.id, status: 'queued' } })
      const flowActor = systemActor('flow: test')
      const queued = await t.app.services.tickets.create(flowActor, {
        subject: 'VIP',
        conversationId: inQueue,
        source: 'flow',
      })
      expect(queued.teamId).toBe(billingTeam)
      expect((await call('GET', `/api/v1/tickets/${queued.id}`, loner)).status).toBe(403)
      expect(
        (await call('GET', `/api/v1/tickets/${queued.id}/conversations/${inQueue}/messages`, billing)).status,
      ).toBe(200)

      // no queue, so no team: every agent sees the ticket, but only those who may see the conversation read it
      const bare = await customerConversation('王先生', '我的地址是北京市朝阳区…')
      const open = await t.app.services.tickets.create(flowActor, {
        subject: '地址',
        conversationId: bare,
        source: 'flow',
      })
      expect(open.teamId).toBeNull()
      expect((await call('GET', `/api/v1/tickets/${open.id}`, loner)).status).toBe(200)
      const thread = `/api/v1/tickets/${open.id}/conversations/${bare}/messages`
      expect((await call('GET', thread, loner)).status).toBe(403)
      await assign(bare, loner.userId)
      expect((await call('GET', thread, loner)).status).toBe(200)
      expect((await call('GET', thread, front)).status).toBe(403)
      // its assignee reads it whatever the conversation
      await call('PATCH', `/api/v1/tickets/${open.id}`, admin, { assigneeId: front.userId })
      expect((await call('GET', thread, front)).status).toBe(200)
      expect((await call('GET', thread, supervisor)).status).toBe(200)
    })

    it('a named assignee is notified; escalating without any change is 409', async () => {
      const res = await call('POST', `/api/v1/tickets/${id}/escalate`, billing, {
        tier: 'L3',
        assigneeId: billing.userId,
        reason: 'I take it',
      })
      expect(res.body).toMatchObject({ tier: 'L3', assigneeId: billing.userId })
      const again = await call('POST', `/api/v1/tickets/${id}/escalate`, billing, { tier: 'L3', reason: 'again' })
      expect(again.status).toBe(409)
    })
  })

  describe('notes and attachments', () => {
    const multipart = (parts: Array<{ name: string; filename?: string; type?: string; data: Buffer | string }>) => {
      const boundary = `----sb${randomBytes(8).toString('hex')}`
      const chunks: Buffer[] = []
      for (const p of parts) {
        const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`,
          ),
          Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data),
          Buffer.from('\r\n'),
        )
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`))
      return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
    }
    const upload = async (id: number, user: User, body: ReturnType<typeof multipart>) => {
      const res = await t.app.server.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/attachments`,
        payload: body.payload,
        headers: { ...bearer(user.token), 'content-type': body.contentType },
      })
      return { status: res.statusCode, body: JSON.parse(res.payload) as Detail['attachments'][number] }
    }

    it('uploads a file, attaches it to a note, and serves it only to those who see the ticket', async () => {
      const id = (await call('POST', '/api/v1/tickets', front, { subject: '破损照片', teamId: frontTeam })).body.id
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)])
      const uploaded = await upload(
        id,
        front,
        multipart([{ name: 'file', filename: '破损.png', type: 'image/png', data: png }]),
      )
      expect(uploaded.status).toBe(201)
      expect(uploaded.body).toMatchObject({
        fileName: '破损.png',
        mimeType: 'image/png',
        size: png.length,
        noteId: null,
      })

      const note = await call<{ id: string; attachments: Array<{ id: string }> }>(
        'POST',
        `/api/v1/tickets/${id}/notes`,
        front,
        { body: '客户发来的破损照片', attachmentIds: [uploaded.body.id] },
      )
      expect(note.status).toBe(201)
      expect(note.body.attachments.map((a) => a.id)).toEqual([uploaded.body.id])
      // a file can be on one note only
      expect(
        (await call('POST', `/api/v1/tickets/${id}/notes`, front, { body: 'again', attachmentIds: [uploaded.body.id] }))
          .status,
      ).toBe(400)

      const download = await t.app.server.inject({ url: uploaded.body.url, headers: bearer(front.token) })
      expect(download.statusCode).toBe(200)
      expect(download.headers['content-type']).toBe('image/png')
      expect(Buffer.compare(download.rawPayload, png)).toBe(0)
      expect((await t.app.server.inject({ url: uploaded.body.url, headers: bearer(billing.token) })).statusCode).toBe(
        403,
      )
      expect((await t.app.server.inject({ url: uploaded.body.url })).statusCode).toBe(401)
      expect(
        (await t.app.server.inject({ url: `/api/v1/tickets/${id}/attachments/nope`, headers: bearer(front.token) }))
          .statusCode,
      ).toBe(404)

      const detail = await call('GET', `/api/v1/tickets/${id}`, front)
      expect(detail.body).toMatchObject({
        notesCount: 1,
        attachments: [{ id: uploaded.body.id, noteId: note.body.id }],
      })
      const history = await call<HistoryItem[]>('GET', `/api/v1/tickets/${id}/history`, front)
      expect(history.body.at(-1)!.note).toMatchObject({
        body: '客户发来的破损照片',
        attachments: [{ id: uploaded.body.id }],
      })
    })

    it('refuses a type that is not allowed, a missing file and an empty one', async () => {
      const id = (await t.app.services.tickets.create(actor, { subject: 'files' })).id
      const exe = await upload(
        id,
        admin,
        multipart([{ name: 'file', filename: 'x.exe', type: 'application/x-msdownload', data: 'MZ' }]),
      )
      expect(exe.status).toBe(415)
      expect((await upload(id, admin, multipart([{ name: 'other', data: 'hello' }]))).status).toBe(400)
      expect(
        (await upload(id, admin, multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', data: '' }])))
          .status,
      ).toBe(400)
      const json = await call('POST', `/api/v1/tickets/${id}/attachments`, admin, { file: 'x' })
      expect(json.status).toBe(415)
      const txt = await upload(id, admin, multipart([{ name: 'file', filename: 'log.txt', data: 'line 1\n' }]))
      expect(txt.body).toMatchObject({ mimeType: 'text/plain', size: 7 })
      expect(await t.app.db.ticketAttachment.count({ where: { ticketId: id } })).toBe(1)
    })
  })

  describe('merge and split', () => {
    it('merges: the source is closed and points at the target, its conversations and notes move, both histories say so', async () => {
      const c1 = await customerConversation('周女士', '快递三天没动了')
      const c2 = await customerConversation('周女士', '我又问一次：快递到哪了？')
      const source = (await call('POST', '/api/v1/tickets', admin, { subject: '快递停滞', conversationId: c1 })).body
      const into = (await call('POST', '/api/v1/tickets', admin, { subject: '物流查询', conversationId: c2 })).body
      const note = await call<{ id: string }>('POST', `/api/v1/tickets/${source.id}/notes`, admin, {
        body: '已催促快递公司',
      })

      const merged = await call('POST', `/api/v1/tickets/${source.id}/merge`, admin, { intoId: into.id })
      expect(merged.status).toBe(200)
      expect(merged.body.id).toBe(into.id)
      expect(merged.body.conversations.map((c) => c.id).sort()).toEqual([c1, c2].sort())
      expect(merged.body.notesCount).toBe(1)

      const closed = (await call('GET', `/api/v1/tickets/${source.id}`, admin)).body
      expect(closed).toMatchObject({ status: 'closed', mergedIntoId: into.id, conversations: [], notesCount: 0 })
      expect(closed.closedAt).not.toBeNull()

      const intoHistory = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${into.id}/history`, admin)).body
      expect(intoHistory.map((h) => h.kind)).toEqual(['created', 'note', 'merged'])
      expect(intoHistory[1]!.note).toMatchObject({ id: note.body.id, body: '已催促快递公司' })
      expect(intoHistory[2]!.data).toMatchObject({ fromId: source.id, notes: 1, conversations: [c1] })
      const sourceHistory = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${source.id}/history`, admin)).body
      expect(sourceHistory.map((h) => h.kind)).toEqual(['created', 'note', 'merged'])
      expect(sourceHistory[2]!.data).toMatchObject({ intoId: into.id })

      // a merged ticket is read-only; its conversation now finds the target
      expect((await call('PATCH', `/api/v1/tickets/${source.id}`, admin, { priority: 'high' })).status).toBe(409)
      expect((await call('POST', `/api/v1/tickets/${into.id}/merge`, admin, { intoId: source.id })).status).toBe(409)
      expect(await t.app.services.tickets.findOpenForConversation(c1)).toMatchObject({ id: into.id })

      // the source's status link shows its own number and subject, merged into another request
      const token = closed.statusUrl.split('/').pop()!
      const status = await call('GET', `/api/v1/public/tickets/${token}`, null)
      expect(status.body).toMatchObject({
        number: source.id,
        subject: '快递停滞',
        status: 'merged',
        statusText: { en: 'Merged into another request', 'zh-CN': '已合并到另一个请求' },
      })
    })

    it('merging across customers: the merged ticket’s status page shows nothing of the other customer’s', async () => {
      const mine = await customerConversation('周女士', '我的包裹')
      const theirs = await customerConversation('陈先生', '陈先生的私人订单 8848')
      const source = (await call('POST', '/api/v1/tickets', admin, { subject: '周女士的包裹', conversationId: mine }))
        .body
      const into = (
        await call('POST', '/api/v1/tickets', admin, { subject: '陈先生的私人订单 8848', conversationId: theirs })
      ).body
      expect((await call('POST', `/api/v1/tickets/${source.id}/merge`, admin, { intoId: into.id })).status).toBe(200)
      const path = new URL(source.statusUrl).pathname
      const json = await call('GET', `/api/v1/public/tickets/${path.split('/').pop()}`, null)
      expect(json.body).toMatchObject({ number: source.id, subject: '周女士的包裹', status: 'merged' })
      for (const lang of ['zh-CN', 'en']) {
        const page = await t.app.server.inject({ url: `${path}?lang=${lang}` })
        expect(page.statusCode).toBe(200)
        expect(page.payload).toContain(`#${source.id} 周女士的包裹`)
        expect(page.payload).not.toContain('陈先生')
        expect(page.payload).not.toContain(`#${into.id}`)
        expect(page.payload).toContain(lang === 'en' ? 'Merged into another request' : '已合并到另一个请求')
      }
    })

    it('an agent may only merge into a ticket they see', async () => {
      const mine = (await call('POST', '/api/v1/tickets', front, { subject: 'mine', teamId: frontTeam })).body
      const theirs = (await t.app.services.tickets.create(actor, { subject: 'theirs', teamId: billingTeam })).id
      expect((await call('POST', `/api/v1/tickets/${mine.id}/merge`, front, { intoId: theirs })).status).toBe(403)
      expect((await t.app.db.ticket.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe('open')
    })

    it('splits: a new ticket with the chosen conversations and notes, same contact, team and tier; both histories say so', async () => {
      const c1 = await customerConversation('吴先生', '耳机左边没声音')
      const c2 = await customerConversation('吴先生', '另外发票还没收到')
      const original = (
        await call('POST', '/api/v1/tickets', admin, {
          subject: '耳机故障和发票',
          conversationId: c1,
          teamId: frontTeam,
          tier: 'L2',
        })
      ).body
      await call('POST', `/api/v1/tickets/${original.id}/conversations`, admin, { conversationId: c2 })
      const keep = await call<{ id: string }>('POST', `/api/v1/tickets/${original.id}/notes`, admin, {
        body: '耳机：已寄出换新',
      })
      const move = await call<{ id: string }>('POST', `/api/v1/tickets/${original.id}/notes`, admin, {
        body: '发票：财务补开',
      })

      const split = await call('POST', `/api/v1/tickets/${original.id}/split`, admin, {
        subject: '发票未收到',
        conversationIds: [c2],
        noteIds: [move.body.id],
      })
      expect(split.status).toBe(201)
      expect(split.body).toMatchObject({
        subject: '发票未收到',
        source: 'split',
        tier: 'L2',
        teamId: frontTeam,
        contactId: original.contactId,
        conversationId: c2,
        conversations: [{ id: c2 }],
        notesCount: 1,
      })
      const after = (await call('GET', `/api/v1/tickets/${original.id}`, admin)).body
      expect(after.conversations.map((c) => c.id)).toEqual([c1])
      expect(after.notesCount).toBe(1)
      const originalHistory = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${original.id}/history`, admin)).body
      expect(originalHistory.map((h) => h.kind)).toEqual(['created', 'linked', 'note', 'note', 'split'])
      expect(originalHistory.at(-1)!.data).toMatchObject({ newTicketId: split.body.id, conversations: [c2], notes: 1 })
      const newHistory = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${split.body.id}/history`, admin)).body
      // the moved note keeps its time (before the new ticket existed) and says where it came from
      expect(newHistory.map((h) => h.kind)).toEqual(['note', 'created'])
      expect(newHistory[0]!.note?.body).toBe('发票：财务补开')
      expect(newHistory[0]!.data).toMatchObject({ movedFrom: original.id })
      expect(newHistory[1]!.data).toMatchObject({ splitFrom: original.id })
      expect(keep.body.id).not.toBe(move.body.id)

      const bad = await call<{ details: Array<{ path: string }> }>(
        'POST',
        `/api/v1/tickets/${original.id}/split`,
        admin,
        {
          subject: 'x',
          conversationIds: [c2],
          noteIds: ['nope'],
        },
      )
      expect(bad.status).toBe(400)
      expect(bad.body.details.map((d) => d.path).sort()).toEqual(['conversationIds', 'noteIds'])
    })
  })

  describe("the customer's status link", () => {
    it('shows number, subject and status in the customer’s language, nothing internal; an unknown token is 404', async () => {
      const created = await call('POST', '/api/v1/tickets', admin, {
        subject: '换货进度',
        description: 'INTERNAL: customer is difficult',
      })
      await call('POST', `/api/v1/tickets/${created.body.id}/notes`, admin, { body: 'SECRET NOTE' })
      await call('PATCH', `/api/v1/tickets/${created.body.id}`, admin, { status: 'resolved' })
      const path = new URL(created.body.statusUrl).pathname
      const token = path.split('/').pop()!

      const zh = await t.app.server.inject({ url: path, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })
      expect(zh.statusCode).toBe(200)
      expect(zh.headers['content-type']).toContain('text/html')
      expect(zh.payload).toContain(`#${created.body.id} 换货进度`)
      expect(zh.payload).toContain('已解决')
      expect(zh.payload).not.toContain('SECRET NOTE')
      expect(zh.payload).not.toContain('INTERNAL')
      const en = await t.app.server.inject({ url: `${path}?lang=en`, headers: { 'accept-language': 'zh-CN' } })
      expect(en.payload).toContain('Resolved')
      expect(en.payload).toContain('lang="en"')

      const json = await call('GET', `/api/v1/public/tickets/${token}`, null)
      expect(json.status).toBe(200)
      expect(json.body).toEqual({
        number: created.body.id,
        subject: '换货进度',
        status: 'resolved',
        statusText: { en: 'Resolved', 'zh-CN': '已解决' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        resolvedAt: expect.any(String),
      })

      const unknown = await t.app.server.inject({ url: `/tickets/status/${'0'.repeat(48)}?lang=zh-CN` })
      expect(unknown.statusCode).toBe(404)
      expect(unknown.payload).toContain('未找到工单')
      expect((await t.app.server.inject({ url: '/tickets/status/<script>' })).statusCode).toBe(404)
      expect((await call('GET', `/api/v1/public/tickets/${'0'.repeat(48)}`, null)).status).toBe(404)
      expect((await call('GET', '/api/v1/public/tickets/short', null)).status).toBe(404)
    })

    it('escapes the subject on the page', async () => {
      const created = await t.app.services.tickets.create(actor, { subject: '<img src=x onerror=alert(1)>' })
      const page = await t.app.server.inject({ url: new URL(created.statusUrl, 'http://x').pathname })
      expect(page.payload).not.toContain('<img')
      expect(page.payload).toContain('&lt;img src=x onerror=alert(1)&gt;')
    })
  })

  it('describes every ticket route in the OpenAPI document', async () => {
    const res = await t.app.server.inject({ url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = (JSON.parse(res.payload) as { paths: Record<string, Record<string, { tags?: string[] }>> }).paths
    expect(paths['/api/v1/tickets/{id}/escalate']?.post?.tags).toEqual(['tickets'])
    expect(Object.keys(paths).filter((p) => p.includes('ticket')).length).toBeGreaterThanOrEqual(14)
  })

  describe('flow nodes', () => {
    it('create-ticket and update-ticket go through the tickets module: linked, history says "flow: <name>"', async () => {
      const flow = {
        name: 'Ticket bot 工单机器人',
        kind: 'bot',
        document: {
          schemaVersion: 1,
          nodes: [
            { id: 'start', type: 'start', config: {} },
            {
              id: 'open',
              type: 'create-ticket',
              config: { subject: '订单 {{ vars.order }} 跟进', priority: 'high', category: 'order_status' },
            },
            { id: 'wait', type: 'update-ticket', config: { status: 'pending', tier: 'L2' } },
          ],
          edges: [
            { from: 'start', port: 'next', to: 'open' },
            { from: 'open', port: 'next', to: 'wait' },
          ],
        },
      }
      const imported = await call('POST', '/api/v1/flows/import', admin, { flow, publish: true })
      expect(imported.status).toBe(201)
      const conversationId = await customerConversation('郑女士', '订单 778 什么时候发货')
      const run = await call<{ status: string; variables: { ticketId: string } }>('POST', '/api/v1/runs', admin, {
        flow: flow.name,
        conversationId,
        variables: { order: '778' },
      })
      expect(run.status).toBe(201)
      expect(run.body.status).toBe('completed')
      const id = Number(run.body.variables.ticketId)

      const detail = (await call('GET', `/api/v1/tickets/${id}`, admin)).body
      expect(detail).toMatchObject({
        subject: '订单 778 跟进',
        source: 'flow',
        status: 'pending',
        tier: 'L2',
        priority: 'high',
        conversations: [{ id: conversationId }],
      })
      expect(detail.contactId).toBe(
        (await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).contactId,
      )
      const history = (await call<HistoryItem[]>('GET', `/api/v1/tickets/${id}/history`, admin)).body
      expect(history.map((h) => [h.kind, h.actorName])).toEqual([
        ['created', 'flow: Ticket bot 工单机器人'],
        ['updated', 'flow: Ticket bot 工单机器人'],
      ])
      expect(history[0]!.data).toMatchObject({ source: 'flow' })
    })
  })
})
