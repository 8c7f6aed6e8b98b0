import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, type TestApp } from '../support/test-app.js'

let t: TestApp
let agent: string
beforeAll(async () => {
  t = await createTestApp()
  agent = (await t.tokenFor('agent')).token
})
afterAll(() => t?.close())

const json = (res: { payload: string }) => JSON.parse(res.payload)
const msLi = {
  name: '李秀英 Li Xiuying',
  phone: '+86 139 1122 3344',
  email: 'Li.Xiuying@Example.cn',
  address: '杭州市西湖区文三路 90 号',
  tags: ['vip'],
  identities: [
    { channel: 'phone', address: '139-1122-3344', verified: true },
    { channel: 'wechat', address: 'oWX_secret_openid_123' },
  ],
}

describe('contacts', () => {
  it('creates a contact and finds it by phone in any format, by email in any case, and by channel identity', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: msLi,
      headers: bearer(agent),
    })
    expect(res.statusCode).toBe(201)
    const contact = json(res)
    expect(contact).toMatchObject({
      name: msLi.name,
      phone: '+8613911223344',
      email: 'li.xiuying@example.cn',
      address: msLi.address,
      tags: ['vip'],
    })
    expect(contact.identities.map((i: { channel: string; address: string }) => `${i.channel}:${i.address}`)).toEqual([
      'phone:+8613911223344',
      'wechat:oWX_secret_openid_123',
    ])

    for (const phone of ['13911223344', '+86 139-1122-3344', '008613911223344']) {
      const found = json(
        await t.app.server.inject({
          url: `/api/v1/contacts?phone=${encodeURIComponent(phone)}`,
          headers: bearer(agent),
        }),
      )
      expect(
        found.map((c: { id: string }) => c.id),
        phone,
      ).toEqual([contact.id])
    }
    const byEmail = json(
      await t.app.server.inject({ url: '/api/v1/contacts?email=LI.XIUYING@example.cn', headers: bearer(agent) }),
    )
    expect(byEmail.map((c: { id: string }) => c.id)).toEqual([contact.id])
    expect((await t.app.services.contacts.findByIdentity('wechat', 'oWX_secret_openid_123'))?.id).toBe(contact.id)
    expect(await t.app.services.contacts.findByIdentity('wechat', 'someone-else')).toBeNull()
  })

  it('refuses a channel identity that belongs to another contact (409) and writes nothing', async () => {
    const before = await t.app.db.contact.count()
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Impostor', identities: [{ channel: 'wechat', address: 'oWX_secret_openid_123' }] },
      headers: bearer(agent),
    })
    expect(res.statusCode).toBe(409)
    expect(await t.app.db.contact.count()).toBe(before)
  })

  it('rejects a phone number that is not one, naming the field', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'X', phone: 'call me maybe' },
      headers: bearer(agent),
    })
    expect(res.statusCode).toBe(400)
    expect(json(res).details[0].path).toBe('phone')
  })

  it('updates and clears fields', async () => {
    const created = json(
      await t.app.server.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: 'Tom', phone: '+1 415 555 0199' },
        headers: bearer(agent),
      }),
    )
    const updated = json(
      await t.app.server.inject({
        method: 'PATCH',
        url: `/api/v1/contacts/${created.id}`,
        payload: { phone: null, address: '1 Market St' },
        headers: bearer(agent),
      }),
    )
    expect(updated).toMatchObject({ name: 'Tom', phone: null, address: '1 Market St' })
    const found = json(
      await t.app.server.inject({ url: '/api/v1/contacts?phone=%2B14155550199', headers: bearer(agent) }),
    )
    expect(found).toEqual([])
  })
})

describe('PII at rest', () => {
  it('the database holds no plaintext name, phone number, email, address or openid', async () => {
    // attributes are not PII and stay readable: they prove the scan below sees the stored rows
    await t.app.services.contacts.create({
      name: '李秀英',
      attributes: { marker: 'plain-control-marker' },
      identities: [{ channel: 'email', address: 'second@example.cn' }],
    })
    const secrets = [
      '13911223344',
      '1122 3344',
      '1122-3344',
      'Li.Xiuying',
      'li.xiuying',
      '李秀英',
      '文三路',
      'oWX_secret_openid_123',
      'second@example.cn',
    ]
    let stored: string
    if (t.db.provider === 'sqlite') {
      // WAL mode: recent pages live in the -wal file until a checkpoint; read both
      const file = t.db.url.slice('file:'.length)
      stored = [file, `${file}-wal`]
        .filter(existsSync)
        .map((f) => readFileSync(f).toString('latin1') + readFileSync(f).toString('utf8'))
        .join('\n')
    } else {
      const rows = await t.app.db.$queryRawUnsafe<Array<{ row: string }>>(
        `SELECT row_to_json(c)::text AS row FROM "Contact" c UNION ALL SELECT row_to_json(i)::text FROM "ContactIdentity" i`,
      )
      stored = rows.map((r) => r.row).join('\n')
    }
    expect(stored).toContain('plain-control-marker')
    for (const secret of secrets) expect(stored.includes(secret), `found "${secret}" in the database`).toBe(false)
    // …while the API still returns them
    const found = json(await t.app.server.inject({ url: '/api/v1/contacts?phone=13911223344', headers: bearer(agent) }))
    expect(found[0].name).toBe(msLi.name)
  })
})
