import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const actor = systemActor('test')

interface Row {
  id: string
  status: string
  contact: { name: string | null; address: string | null; tags: string[] }
  lastMessage: { body: string; direction: string } | null
  unread: number
  waitingSince: string | null
  cursor: string
}

/**
 * The inbox API: what each role sees (an agent their own and their queues' conversations, a
 * supervisor all), the views and their counts, search (message text, and the contact's name and
 * addresses, which are encrypted at rest), filters, cursor pages, per-agent read marks, notes that
 * mention colleagues, and the colleague directory agents may read.
 */
describe('inbox API', () => {
  let t: TestApp
  let li: { token: string; userId: string }
  let wang: { token: string; userId: string }
  let supervisor: { token: string; userId: string }
  let returns: string
  let billing: string
  const ids: Record<string, string> = {}

  const get = async <T>(url: string, token: string) => {
    const res = await t.app.server.inject({ method: 'GET', url, headers: bearer(token) })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') as T }
  }
  const list = async (token: string, query = '') => get<Row[]>(`/api/v1/conversations${query}`, token)
  const listIds = async (token: string, query = '') => (await list(token, query)).body.map((r) => r.id)

  /** A customer writes in on the web chat; the conversation is then placed as the test needs. */
  async function customer(
    key: string,
    name: string | undefined,
    visitor: string,
    text: string,
    place: { status: string; queueId?: string | null; assigneeId?: string | null; priority?: number; tags?: string[] },
  ) {
    const received = await t.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: `${visitor}:1`,
        from: { id: visitor, kind: 'web-visitor', ...(name ? { name } : {}) },
        kind: 'text',
        text,
        receivedAt: new Date().toISOString(),
      },
    })
    await t.app.db.conversation.update({
      where: { id: received.conversationId },
      data: { ...place, ...(place.status === 'queued' ? { queuedAt: new Date() } : {}) },
    })
    ids[key] = received.conversationId
    // keep the activity order deterministic: one conversation per millisecond at least
    await new Promise((r) => setTimeout(r, 5))
    return received.conversationId
  }

  beforeAll(async () => {
    t = await createTestApp()
    li = await t.tokenFor('agent')
    wang = await t.tokenFor('agent')
    supervisor = await t.tokenFor('supervisor')
    await t.app.db.user.update({ where: { id: li.userId }, data: { name: 'Li Na' } })
    await t.app.db.user.update({ where: { id: wang.userId }, data: { name: 'Wang Wei' } })
    returns = (await t.app.db.queue.create({ data: { name: 'Returns' } })).id
    billing = (await t.app.db.queue.create({ data: { name: 'Billing' } })).id
    await t.app.db.queueMember.createMany({
      data: [
        { queueId: returns, userId: li.userId },
        { queueId: billing, userId: wang.userId },
      ],
    })
    await customer('liAssigned', 'Zhang San', 'visitor-aaaaaaaaaaaaaaaa', 'Where is my parcel?', {
      status: 'assigned',
      queueId: returns,
      assigneeId: li.userId,
      tags: ['vip-order'],
    })
    await customer('returnsQueued', '赵六', 'visitor-bbbbbbbbbbbbbbbb', 'I want a refund for order 88231', {
      status: 'queued',
      queueId: returns,
      priority: 20,
    })
    await customer('billingQueued', 'Qian Qi', 'visitor-cccccccccccccccc', 'Invoice please', {
      status: 'queued',
      queueId: billing,
    })
    await customer('wangAssigned', 'Sun Ba', 'visitor-dddddddddddddddd', 'Change my address', {
      status: 'assigned',
      queueId: billing,
      assigneeId: wang.userId,
    })
    await customer('withBot', undefined, 'visitor-eeeeeeeeeeeeeeee', 'hello bot', { status: 'bot' })
  }, 60_000)
  afterAll(() => t?.close())

  it('an agent sees their own and their queues’ conversations; "all" is for supervisors', async () => {
    expect(new Set(await listIds(li.token))).toEqual(new Set([ids.liAssigned, ids.returnsQueued]))
    expect(await listIds(li.token, '?view=mine')).toEqual([ids.liAssigned])
    expect(new Set(await listIds(li.token, '?view=queues'))).toEqual(new Set([ids.liAssigned, ids.returnsQueued]))
    const all = await get<{ code: string; message: string }>('/api/v1/conversations?view=all', li.token)
    expect(all.status).toBe(403)
    expect(all.body.code).toBe('SB_ERR_FORBIDDEN')
    expect(all.body.message).toContain('supervisor')
    expect(new Set(await listIds(supervisor.token, '?view=all'))).toEqual(new Set(Object.values(ids)))
    // a supervisor's own views are narrow too
    expect(await listIds(supervisor.token, '?view=mine')).toEqual([])
  })

  it('each row carries its contact, last message, unread count and waiting time; newest activity first', async () => {
    const { body } = await list(li.token)
    expect(body.map((r) => r.id)).toEqual([ids.returnsQueued, ids.liAssigned])
    const queued = body[0]!
    expect(queued.contact).toEqual({ name: '赵六', address: 'visitor-bbbbbbbbbbbbbbbb', tags: [] })
    expect(queued.lastMessage).toMatchObject({ body: 'I want a refund for order 88231', direction: 'inbound' })
    expect(queued.unread).toBe(1)
    expect(queued.waitingSince).not.toBeNull()
    const bot = (await list(supervisor.token, `?view=all&id=${ids.withBot}`)).body[0]!
    expect(bot.contact.name).toBeNull()
    expect(bot.contact.address).toBe('visitor-eeeeeeeeeeeeeeee')
  })

  it('reading a thread clears its unread count for that agent only; the views count open and unread', async () => {
    const before = await get<{ views: Record<string, { open: number; unread: number } | null> }>(
      '/api/v1/conversations/inbox',
      li.token,
    )
    expect(before.body.views).toEqual({ mine: { open: 1, unread: 1 }, queues: { open: 2, unread: 2 }, all: null })
    const read = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${ids.liAssigned}/read`,
      headers: bearer(li.token),
      payload: {},
    })
    expect(read.statusCode, read.payload).toBe(200)
    expect(JSON.parse(read.payload)).toEqual({ lastReadSeq: 1 })
    expect((await list(li.token, `?id=${ids.liAssigned}`)).body[0]!.unread).toBe(0)
    expect((await list(supervisor.token, `?view=all&id=${ids.liAssigned}`)).body[0]!.unread).toBe(1)
    const after = await get<{ views: Record<string, unknown>; queues: Array<{ name: string; member: boolean }> }>(
      '/api/v1/conversations/inbox',
      li.token,
    )
    expect(after.body.views).toEqual({ mine: { open: 1, unread: 0 }, queues: { open: 2, unread: 1 }, all: null })
    expect(after.body.queues).toEqual([
      { id: billing, name: 'Billing', member: false },
      { id: returns, name: 'Returns', member: true },
    ])
    // the customer writes again: unread again
    await t.app.services.conversations.receive({
      channelPlugin: null,
      channel: 'webchat',
      identityKind: 'web-visitor',
      message: {
        channelMessageId: 'visitor-aaaaaaaaaaaaaaaa:2',
        from: { id: 'visitor-aaaaaaaaaaaaaaaa', kind: 'web-visitor' },
        kind: 'text',
        text: 'Any news?',
        receivedAt: new Date().toISOString(),
      },
    })
    const row = (await list(li.token, `?id=${ids.liAssigned}`)).body[0]!
    expect(row.unread).toBe(1)
    expect(row.lastMessage?.body).toBe('Any news?')
    // reading someone else's conversation is refused
    const refused = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${ids.billingQueued}/read`,
      headers: bearer(li.token),
      payload: {},
    })
    expect(refused.statusCode).toBe(403)
  })

  it('searches message text and the encrypted names and addresses, within the viewer’s reach only', async () => {
    expect(await listIds(li.token, '?q=zhang')).toEqual([ids.liAssigned])
    expect(await listIds(li.token, `?q=${encodeURIComponent('赵')}`)).toEqual([ids.returnsQueued])
    expect(await listIds(li.token, '?q=REFUND')).toEqual([ids.returnsQueued])
    expect(await listIds(li.token, '?q=bbbbbbbb')).toEqual([ids.returnsQueued])
    // Qian Qi is in a queue Li is not in: not found by her, found by a supervisor
    expect(await listIds(li.token, '?q=Qian')).toEqual([])
    expect(await listIds(supervisor.token, '?q=Qian')).toEqual([ids.billingQueued])
    expect(await listIds(supervisor.token, '?q=nothing-like-this')).toEqual([])
  })

  it('filters by tag, channel, priority and status', async () => {
    expect(await listIds(li.token, '?tag=vip-order')).toEqual([ids.liAssigned])
    expect(await listIds(li.token, '?tag=vip')).toEqual([])
    expect(await listIds(li.token, '?priority=10')).toEqual([ids.returnsQueued])
    expect(await listIds(li.token, '?channel=wechat')).toEqual([])
    expect(await listIds(li.token, '?status=queued')).toEqual([ids.returnsQueued])
    const bad = await get<{ details: Array<{ path: string }> }>('/api/v1/conversations?view=everything', li.token)
    expect(bad.status).toBe(400)
    expect(bad.body.details.map((d) => d.path)).toContain('view')
  })

  it('pages with the last row’s cursor, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++)
      await customer(`page${i}`, `Page ${i}`, `visitor-page-${i}-xxxxxxxxxx`, `page message ${i}`, {
        status: 'queued',
        queueId: returns,
      })
    const seen: string[] = []
    let cursor = ''
    for (let round = 0; round < 10; round++) {
      const { body } = await list(li.token, `?view=queues&limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...body.map((r) => r.id))
      if (body.length < 4) break
      cursor = body.at(-1)!.cursor
    }
    const everything = await listIds(li.token, '?view=queues&limit=200')
    expect(seen).toEqual(everything)
    expect(new Set(seen).size).toBe(9)
    const bad = await get<{ details: Array<{ path: string }> }>('/api/v1/conversations?cursor=garbage', li.token)
    expect(bad.status).toBe(400)
    expect(bad.body.details[0]!.path).toBe('cursor')
  })

  it('a note mentions colleagues from the directory; an unknown one is refused naming the field', async () => {
    const directory = await get<Array<Record<string, unknown>>>('/api/v1/users/directory', li.token)
    expect(directory.status).toBe(200)
    expect(directory.body.find((u) => u.id === wang.userId)).toEqual({ id: wang.userId, name: 'Wang Wei' })
    const note = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${ids.liAssigned}/messages`,
      headers: bearer(li.token),
      payload: { text: '@Wang Wei can you check the refund?', internal: true, mentions: [wang.userId] },
    })
    expect(note.statusCode, note.payload).toBe(201)
    expect(JSON.parse(note.payload)).toMatchObject({
      direction: 'internal',
      kind: 'note',
      payload: { by: 'agent', mentions: [{ id: wang.userId, name: 'Wang Wei' }] },
    })
    const unknown = await t.app.server.inject({
      method: 'POST',
      url: `/api/v1/conversations/${ids.liAssigned}/messages`,
      headers: bearer(li.token),
      payload: { text: 'hi @nobody', internal: true, mentions: ['no-such-user'] },
    })
    expect(unknown.statusCode).toBe(400)
    expect(JSON.parse(unknown.payload).details[0].path).toBe('mentions')
    // writing marks the thread read for the writer
    expect((await list(li.token, `?id=${ids.liAssigned}`)).body[0]!.unread).toBe(0)
  })

  it('attachments: the type is checked, and a channel that cannot serve files says so', async () => {
    const send = (type: string, id = ids.liAssigned) =>
      t.app.server.inject({
        method: 'POST',
        url: `/api/v1/conversations/${id}/attachments?name=photo.png`,
        headers: { ...bearer(li.token), 'content-type': type },
        payload: Buffer.from('89504e470d0a1a0a', 'hex'),
      })
    const exe = await send('application/x-msdownload')
    expect(exe.statusCode).toBe(415)
    expect(JSON.parse(exe.payload).details[0].path).toBe('file')
    // this conversation came in on no channel plugin: nothing could serve the file to the customer
    expect((await send('image/png')).statusCode).toBe(409)
    expect((await send('image/png', ids.billingQueued)).statusCode).toBe(403)
  })

  it('resolved conversations stay readable to the agent who resolved them', async () => {
    await t.app.services.conversations.update(actor, ids.liAssigned!, { status: 'resolved' })
    expect(await listIds(li.token, '?view=mine')).toEqual([])
    expect(await listIds(li.token, '?view=mine&status=resolved')).toEqual([ids.liAssigned])
    expect(await listIds(wang.token, '?view=mine&status=resolved')).toEqual([])
  })
})
