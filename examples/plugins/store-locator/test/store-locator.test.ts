import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'

/** The shop's store list, served the way the shop's site serves it. */
const storeList = readFileSync(new URL('./data/stores.json', import.meta.url), 'utf8')
const TOKEN = 'shop-token-123'
const requests: Array<{ url?: string; authorization?: string }> = []
let answer: 'list' | 'error' = 'list'
let server: Server
let storesUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url, authorization: req.headers.authorization })
    if (req.url !== '/api/stores') return void res.writeHead(404).end()
    if (answer === 'error') return void res.writeHead(503).end('maintenance')
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end()
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(storeList)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  storesUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stores`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  requests.length = 0
  answer = 'list'
})

const plugin = () => createTestHarness({ definition, handlers, config: { storesUrl }, secrets: { apiToken: TOKEN } })
const ids = (result: unknown) => (result as { stores: Array<{ id: string }> }).stores.map((s) => s.id)

// 2026-03-02 is a Monday; 13:30 UTC is 21:30 in Shanghai (UTC+8)
const mondayEvening = '2026-03-02T13:30:00Z'

describe('findStores', () => {
  it('finds the stores of a city however it is written, asking with the token', async () => {
    for (const city of ['上海', '上海市', ' 上海 '])
      expect(ids(await plugin().callAction('findStores', { city, at: mondayEvening }))).toEqual([
        'sh-jingan',
        'sh-xuhui',
        'sh-pudong-night',
      ])
    expect(requests[0]).toEqual({ url: '/api/stores', authorization: `Bearer ${TOKEN}` })
  })

  it("puts open stores first and reports today's hours", async () => {
    const result = await plugin().callAction('findStores', { city: '上海', at: mondayEvening })
    expect(result).toEqual({
      total: 3,
      stores: [
        expect.objectContaining({ id: 'sh-jingan', openNow: true, todayHours: '10:00-22:30' }),
        expect.objectContaining({ id: 'sh-xuhui', openNow: false, todayHours: '10:00-21:00' }),
        expect.objectContaining({ id: 'sh-pudong-night', openNow: false, todayHours: null }),
      ],
    })
  })

  it('filters by district, service and open now', async () => {
    const call = (input: Record<string, unknown>) =>
      plugin().callAction('findStores', { city: '上海', at: mondayEvening, ...input })
    expect(ids(await call({ district: '徐汇' }))).toEqual(['sh-xuhui'])
    expect(ids(await call({ service: 'repair' }))).toEqual(['sh-xuhui'])
    expect(ids(await call({ openNow: true }))).toEqual(['sh-jingan'])
  })

  it('counts hours past midnight as the night before', async () => {
    // Saturday 01:00 in Shanghai: the Friday 18:00-02:00 pick-up point is still open
    const result = await plugin().callAction('findStores', {
      city: '上海',
      district: '浦东',
      at: '2026-03-06T17:00:00Z',
    })
    expect(result).toMatchObject({ stores: [{ id: 'sh-pudong-night', openNow: true, todayHours: '18:00-02:00' }] })
  })

  it('reads the list once and serves later lookups from the cache', async () => {
    const harness = plugin()
    await harness.callAction('findStores', { city: '上海' })
    await harness.callAction('findStores', { city: '杭州' })
    expect(requests).toHaveLength(1)
  })

  it('reports an unavailable list as a retryable error', async () => {
    answer = 'error'
    await expect(plugin().callAction('findStores', { city: '上海' })).rejects.toMatchObject({
      code: 'STORE_LIST_UNAVAILABLE',
      retryable: true,
    })
  })
})

describe('the Find a store node', () => {
  it('lists the stores of the city in the variable, in Chinese', async () => {
    const out = await plugin().runNode('storeFinder', { config: {}, vars: { city: '杭州' } })
    expect(out.port).toBe('found')
    expect(out.messages?.[0]?.text).toMatch(
      /^杭州的门店：\n1\. 杭州西湖店：杭州市西湖区文三路 398 号，电话 0571-8888 3980；/,
    )
    expect(out.vars).toEqual({ stores: [expect.objectContaining({ id: 'hz-xihu' })] })
  })

  it("takes the city from the customer's message, in English", async () => {
    const out = await plugin().runNode('storeFinder', { config: { language: 'en' }, text: '杭州' })
    expect(out.messages?.[0]?.text).toMatch(
      /^Our stores in 杭州:\n1\. 杭州西湖店: 杭州市西湖区文三路 398 号, tel\. 0571-8888 3980; (open today 10:00-20:00|closed today)/,
    )
  })

  it('follows not-found for a city without stores, and failed when the list is down', async () => {
    expect((await plugin().runNode('storeFinder', { config: {}, vars: { city: '北京' } })).port).toBe('not-found')
    answer = 'error'
    expect((await plugin().runNode('storeFinder', { config: {}, vars: { city: '上海' } })).port).toBe('failed')
  })
})
