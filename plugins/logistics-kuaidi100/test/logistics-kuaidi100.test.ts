import { createHash } from 'node:crypto'
import { checkManifest, toManifest } from '@switchboard/plugin-sdk'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import { chinaTimeToIso } from '../src/china-time.js'
import { toFormBody } from '../src/form-body.js'
import handlers from '../src/index.js'
import { parcelState } from '../src/parcel-state.js'
import { startFakeKuaidi100, type FakeAccount, type FakeKuaidi100 } from './fake-kuaidi100.js'
import { parcels } from './kuaidi100-fixtures.js'

const account: FakeAccount = { customer: 'A1B2C3D4E5F60718293A4B5C6D7E8F90', key: 'kDyTqnHw1234' }
const exhausted: FakeAccount = { customer: 'EXHAUSTED000000000000000000000000', key: 'noQueriesLeft', queriesLeft: 0 }
const basicPlan: FakeAccount = {
  customer: 'BASIC00000000000000000000000000000',
  key: 'basicPlanKey',
  autoNumber: false,
}

/** Runs a call expected to fail and returns the coded error the host would report. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(
    () => expect.fail('expected the call to fail'),
    (e: unknown) => e,
  )
  return error as { code: string; message: string; retryable: boolean; details?: Record<string, unknown> }
}

describe('logistics-kuaidi100', () => {
  let kuaidi100: FakeKuaidi100
  beforeAll(async () => {
    kuaidi100 = await startFakeKuaidi100({ accounts: [account, exhausted, basicPlan], parcels })
  })
  afterAll(() => kuaidi100.close())
  beforeEach(() => kuaidi100.reset())

  const harness = (config: Record<string, unknown> = {}, credentials: FakeAccount = account) =>
    createTestHarness({
      definition,
      handlers,
      config: { apiBase: kuaidi100.url, autoNumberBase: kuaidi100.url, ...config },
      secrets: { customer: credentials.customer, key: credentials.key },
    })

  describe('track', () => {
    it('returns a delivered SF parcel with its route, Chinese text kept, Beijing times as ISO 8601', async () => {
      const tracking = await harness().callAction('track', {
        waybill: 'SF1234567890123',
        carrier: 'shunfeng',
        phone: '+86 138-1234-5678',
      })
      expect(tracking).toMatchObject({
        waybill: 'SF1234567890123',
        carrier: 'shunfeng',
        state: 'delivered',
        stateText: '签收',
        lastEvent: {
          time: '2026-11-16T14:32:10+08:00',
          location: '深圳市',
          text: '[深圳市]您的快件已签收，签收人：本人，如有疑问请电联快递员：陈师傅【13800000000】。感谢您使用顺丰，期待再次为您服务',
        },
      })
      const events = (tracking as { events: Array<{ time: string; text: string }> }).events
      expect(events).toHaveLength(5)
      expect(events.at(-1)).toEqual({
        time: '2026-11-15T18:20:00+08:00',
        location: '杭州市',
        text: '[杭州市]顺丰速运 已收取快件',
      })
    })

    it('posts the documented form: customer, param JSON and sign = upper-case MD5(param + key + customer)', async () => {
      await harness().callAction('track', { waybill: 'YT7654321098765', carrier: 'YuanTong' })
      const [request] = kuaidi100.requests
      expect(request).toMatchObject({ method: 'POST', path: '/poll/query.do' })
      const { customer, sign, param } = request!.fields
      expect(customer).toBe(account.customer)
      expect(JSON.parse(param!)).toEqual({ com: 'yuantong', num: 'YT7654321098765', resultv2: '1' })
      expect(sign).toBe(
        createHash('md5')
          .update(param! + account.key + account.customer)
          .digest('hex')
          .toUpperCase(),
      )
    })

    it('sends only the last four digits of the phone number', async () => {
      await harness().callAction('track', { waybill: 'SF1234567890123', carrier: 'shunfeng', phone: '138 1234 5678' })
      expect(JSON.parse(kuaidi100.requests[0]!.fields.param!).phone).toBe('5678')
    })

    it('detects the carrier when none is given, then tracks with the most likely one', async () => {
      const tracking = await harness().callAction('track', { waybill: '78123456789012' })
      expect(tracking).toMatchObject({
        carrier: 'zhongtong',
        state: 'out-for-delivery',
        stateText: '派件',
        lastEvent: { location: '朝阳区', time: '2026-11-21T09:30:00+08:00' },
      })
      expect(kuaidi100.requests.map((r) => r.path)).toEqual(['/autonumber/auto', '/poll/query.do'])
      expect(kuaidi100.requests[0]!.fields).toEqual({ num: '78123456789012', key: account.key })
    })

    it('answers a repeated lookup from the cache: no second request, detection included', async () => {
      const plugin = harness()
      const first = await plugin.callAction('track', { waybill: 'YT7654321098765' })
      const second = await plugin.callAction('track', { waybill: ' YT7654321098765 ' })
      expect(second).toEqual(first)
      expect(kuaidi100.count()).toBe(2)
      expect(kuaidi100.count('/poll/query.do')).toBe(1)
      expect(definition.actions?.track.cacheSeconds).toBe(300)
    })

    it('maps trouble states: 疑难 and 拒签 are exceptions, an empty route has no last event', async () => {
      const plugin = harness()
      expect(await plugin.callAction('track', { waybill: '4312345678901', carrier: 'yunda' })).toMatchObject({
        state: 'exception',
        stateText: '疑难',
      })
      expect(await plugin.callAction('track', { waybill: 'EA123456789CN', carrier: 'ems' })).toMatchObject({
        state: 'exception',
        stateText: '拒签',
      })
      expect(await plugin.callAction('track', { waybill: '773012345678901', carrier: 'shentong' })).toEqual({
        waybill: '773012345678901',
        carrier: 'shentong',
        state: 'in-transit',
        stateText: '在途',
        lastEvent: null,
        events: [],
      })
    })

    it('returns null when Kuaidi100 has no such parcel (500 查询无结果), and caches that briefly', async () => {
      const plugin = harness()
      expect(await plugin.callAction('track', { waybill: 'YT0000000000000', carrier: 'yuantong' })).toBeNull()
      expect(await plugin.callAction('track', { waybill: 'YT0000000000000', carrier: 'yuantong' })).toBeNull()
      expect(kuaidi100.count()).toBe(1)
    })

    it('returns null when no carrier can be detected or the number is no waybill', async () => {
      const plugin = harness()
      expect(await plugin.callAction('track', { waybill: 'ZZ9999999999' })).toBeNull()
      expect(await plugin.callAction('track', { waybill: '12345' })).toBeNull()
      expect(await plugin.callAction('track', { waybill: 'SF12345678#90' })).toBeNull()
      expect(kuaidi100.requests.map((r) => r.path)).toEqual(['/autonumber/auto'])
    })

    it('rejects invalid input before any request', async () => {
      const plugin = harness()
      for (const input of [{ waybill: 'SF1' }, { waybill: 'x'.repeat(65) }, { carrier: 'shunfeng' }])
        expect(await failure(plugin.callAction('track', input))).toMatchObject({ code: 'SB_ERR_PLUGIN_INVALID_INPUT' })
      expect(kuaidi100.count()).toBe(0)
    })
  })

  describe('failures', () => {
    it('reports a bad signature (wrong key) as SB_ERR_LOGISTICS_AUTH_FAILED, not retryable', async () => {
      const error = await failure(
        harness({}, { ...account, key: 'wrong-key' }).callAction('track', {
          waybill: 'SF1234567890123',
          carrier: 'shunfeng',
        }),
      )
      expect(error).toMatchObject({
        code: 'SB_ERR_LOGISTICS_AUTH_FAILED',
        retryable: false,
        details: { returnCode: '503', message: '验证签名失败' },
      })
    })

    it('reports an account Kuaidi100 does not know as an auth failure', async () => {
      const error = await failure(
        harness({}, { ...account, customer: 'UNKNOWN' }).callAction('track', {
          waybill: 'YT7654321098765',
          carrier: 'yuantong',
        }),
      )
      expect(error).toMatchObject({ code: 'SB_ERR_LOGISTICS_AUTH_FAILED', details: { returnCode: '400' } })
    })

    it('reports an exhausted plan (601) and a carrier detection the plan lacks', async () => {
      const error = await failure(
        harness({}, exhausted).callAction('track', { waybill: 'YT7654321098765', carrier: 'yuantong' }),
      )
      expect(error).toMatchObject({ code: 'SB_ERR_LOGISTICS_QUOTA_EXHAUSTED', retryable: false })
      const detection = await failure(harness({}, basicPlan).callAction('track', { waybill: 'YT7654321098765' }))
      expect(detection).toMatchObject({ code: 'SB_ERR_LOGISTICS_QUOTA_EXHAUSTED', details: { returnCode: '601' } })
      expect(detection.message).toContain('pass the carrier')
    })

    it('asks for the phone number when the carrier checks it (408)', async () => {
      const error = await failure(harness().callAction('track', { waybill: 'SF1234567890123', carrier: 'shunfeng' }))
      expect(error).toMatchObject({ code: 'SB_ERR_LOGISTICS_PHONE_REQUIRED', retryable: false })
    })

    it('reports an unknown carrier code (400 找不到对应公司) as an invalid request', async () => {
      const error = await failure(harness().callAction('track', { waybill: 'YT7654321098765', carrier: 'no-such' }))
      expect(error).toMatchObject({ code: 'SB_ERR_LOGISTICS_INVALID_REQUEST', details: { message: '找不到对应公司' } })
    })

    it('reports a gateway 502 and 服务器繁忙 as retryable, and works again afterwards', async () => {
      const plugin = harness()
      kuaidi100.failNext(1, 'gateway')
      expect(
        await failure(plugin.callAction('track', { waybill: 'YT7654321098765', carrier: 'yuantong' })),
      ).toMatchObject({ code: 'SB_ERR_LOGISTICS_UNAVAILABLE', retryable: true, details: { status: 502 } })
      kuaidi100.failNext(1, 'busy')
      expect(
        await failure(plugin.callAction('track', { waybill: 'YT7654321098765', carrier: 'yuantong' })),
      ).toMatchObject({ code: 'SB_ERR_LOGISTICS_UNAVAILABLE', retryable: true, details: { returnCode: '502' } })
      expect(await plugin.callAction('track', { waybill: 'YT7654321098765', carrier: 'yuantong' })).toMatchObject({
        state: 'in-transit',
      })
    })

    it('gives up after timeoutMs with a retryable error', async () => {
      kuaidi100.delayMs = 2_000
      const started = Date.now()
      const error = await failure(
        harness({ timeoutMs: 200 }).callAction('track', { waybill: 'YT7654321098765', carrier: 'yuantong' }),
      )
      expect(error).toMatchObject({ code: 'SB_ERR_LOGISTICS_UNAVAILABLE', retryable: true })
      expect(Date.now() - started).toBeLessThan(1_900)
    })

    it('may reach only the configured Kuaidi100 hosts', async () => {
      const plugin = harness()
      expect(await failure(plugin.ctx.fetch('https://api.example.com/steal'))).toMatchObject({
        code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      })
      const defaults = createTestHarness({ definition, handlers, secrets: { customer: 'c', key: 'k' } })
      expect(await failure(defaults.ctx.fetch(`${kuaidi100.url}/poll/query.do`))).toMatchObject({
        code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      })
      expect(kuaidi100.count()).toBe(0)
    })
  })

  describe('pieces', () => {
    it('has a manifest the host accepts, defaulting to the real Kuaidi100 hosts', () => {
      expect(checkManifest(toManifest(definition)).ok).toBe(true)
      const manifest = toManifest(definition)
      for (const schema of [manifest.config, manifest.secrets]) {
        const properties = (schema as { properties: Record<string, { description?: string }> }).properties
        for (const [field, property] of Object.entries(properties))
          expect(property.description, `${field} has a description`).toBeTruthy()
      }
      expect(definition.config.parse({})).toMatchObject({
        apiBase: 'https://poll.kuaidi100.com',
        autoNumberBase: 'https://www.kuaidi100.com',
      })
    })

    it('maps every documented Kuaidi100 state', () => {
      const expected: Record<string, [string, string]> = {
        '0': ['in-transit', '在途'],
        '1': ['picked-up', '揽收'],
        '2': ['exception', '疑难'],
        '3': ['delivered', '签收'],
        '4': ['returned', '退签'],
        '5': ['out-for-delivery', '派件'],
        '6': ['returned', '退回'],
        '7': ['in-transit', '转投'],
        '8': ['in-transit', '清关'],
        '13': ['exception', '清关异常'],
        '14': ['exception', '拒签'],
        '102': ['pending', '待揽收'],
        '304': ['delivered', '投柜或站签收'],
        '501': ['out-for-delivery', '投柜或驿站'],
      }
      for (const [code, [state, stateText]] of Object.entries(expected))
        expect(parcelState(code), code).toEqual({ state, stateText })
      expect(parcelState('99', '神秘状态')).toEqual({ state: 'unknown', stateText: '神秘状态' })
    })

    it('formats times and forms without the globals the sandbox lacks', () => {
      expect(chinaTimeToIso('2026-11-20 08:00:00')).toBe('2026-11-20T08:00:00+08:00')
      expect(chinaTimeToIso('2026-11-20 08:00')).toBe('2026-11-20T08:00:00+08:00')
      expect(chinaTimeToIso('昨天')).toBe('昨天')
      const body = toFormBody({ param: '{"com":"ems","to":"北京市 朝阳区"}', sign: 'A+B' })
      expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
        param: '{"com":"ems","to":"北京市 朝阳区"}',
        sign: 'A+B',
      })
    })
  })
})

describe('carrier names as shops write them', () => {
  it('maps common Chinese and English names to Kuaidi100 codes, and leaves unknown names to detection', async () => {
    const { carrierCode } = await import('../src/carrier-code.js')
    expect(carrierCode('顺丰速运')).toBe('shunfeng')
    expect(carrierCode('SF Express')).toBe('shunfeng')
    expect(carrierCode('中通快递')).toBe('zhongtong')
    expect(carrierCode('JD')).toBe('jd')
    expect(carrierCode('yuantong')).toBe('yuantong')
    expect(carrierCode('某某物流')).toBeNull()
    expect(carrierCode('')).toBeNull()
    expect(carrierCode(undefined)).toBeNull()
  })
})
