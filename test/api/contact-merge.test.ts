import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

/** One person who reached the shop on WeChat and by phone becomes one contact with one history. */
describe('contact merge', () => {
  let t: TestApp
  let agent: string
  beforeAll(async () => {
    t = await createTestApp()
    agent = (await t.tokenFor('agent')).token
  })
  afterAll(() => t?.close())

  const call = async (method: string, url: string, payload?: unknown) => {
    const res = await t.app.server.inject({ method, url, headers: bearer(agent), payload: payload as never })
    return { status: res.statusCode, body: JSON.parse(res.payload || 'null') }
  }

  it('moves identities and conversations, joins tags, keeps the survivor’s data, and the old id leads to it', async () => {
    const phone = await t.app.services.contacts.create({
      name: '李女士',
      phone: '138 0013 8000',
      tags: ['vip'],
      attributes: { level: 'gold' },
      identities: [{ channel: 'phone', address: '138 0013 8000', verified: true }],
    })
    const { contact: wechat } = await t.app.services.contacts.findOrCreateByIdentity('wechat-openid', 'oLiNa001')
    await t.app.services.contacts.update(wechat.id, { email: 'li@example.com', tags: ['wechat'] })
    const conversation = await t.app.db.conversation.create({ data: { contactId: wechat.id, channel: 'wechat-oa' } })
    // what else is theirs: a callback promised and a call recorded
    const callback = await t.app.db.callback.create({
      data: { contactId: wechat.id, mode: 'message', windowStart: new Date(), dueAt: new Date() },
    })
    const recording = await t.app.db.callRecording.create({
      data: {
        conversationId: conversation.id,
        contactId: wechat.id,
        callId: 'merge-test',
        startedAt: new Date(),
        path: 'voice/recordings/none.sbrec',
        keyId: 'k1',
        status: 'complete',
      },
    })

    const merged = await call('POST', `/api/v1/contacts/${phone.id}/merge`, { from: wechat.id })
    expect(merged.status).toBe(200)
    expect(merged.body).toMatchObject({
      id: phone.id,
      name: '李女士',
      email: 'li@example.com',
      phone: '+8613800138000',
    })
    expect(merged.body.tags.sort()).toEqual(['vip', 'wechat'])
    expect((await t.app.db.callback.findUniqueOrThrow({ where: { id: callback.id } })).contactId).toBe(phone.id)
    expect((await t.app.db.callRecording.findUniqueOrThrow({ where: { id: recording.id } })).contactId).toBe(phone.id)
    expect(merged.body.identities.map((i: { channel: string }) => i.channel).sort()).toEqual(['phone', 'wechat-openid'])
    expect((await t.app.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).contactId).toBe(phone.id)
    expect((await call('GET', `/api/v1/contacts/${wechat.id}`)).body.id).toBe(phone.id)
    expect((await t.app.services.contacts.findByIdentity('wechat-openid', 'oLiNa001'))?.id).toBe(phone.id)
    const again = await call('POST', `/api/v1/contacts/${phone.id}/merge`, { from: wechat.id })
    expect(again.status).toBe(404)
    const self = await call('POST', `/api/v1/contacts/${phone.id}/merge`, { from: phone.id })
    expect(self.status).toBe(400)
  })

  it('a verified identity of another contact merges it automatically; an unverified one is refused', async () => {
    const web = await t.app.services.contacts.create({
      name: 'Visitor',
      identities: [{ channel: 'email', address: 'tom@example.com' }],
    })
    const crm = await t.app.services.contacts.create({ name: 'Tom Baker' })
    const refused = await call('POST', `/api/v1/contacts/${crm.id}/identities`, {
      channel: 'email',
      address: 'TOM@example.com',
    })
    expect(refused.status).toBe(409)
    const verified = await call('POST', `/api/v1/contacts/${crm.id}/identities`, {
      channel: 'email',
      address: 'TOM@example.com',
      verified: true,
    })
    expect(verified.status).toBe(201)
    expect(verified.body).toMatchObject({ merged: web.id, contact: { id: crm.id, name: 'Tom Baker' } })
  })
})
