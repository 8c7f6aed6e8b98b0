import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { carrierCandidates, carrierCodes, type FixtureParcel } from './kuaidi100-fixtures.js'

/**
 * A local Kuaidi100 that speaks its documented APIs:
 *
 * - 实时快递查询 `POST /poll/query.do`, form-encoded `customer`, `sign`, `param` (JSON: com, num,
 *   phone, resultv2…), where sign must be the upper-case hex MD5 of param + key + customer;
 *   answers `{ message: 'ok', state, status: '200', ischeck, condition, com, nu, data }`, or
 *   HTTP 200 with `{ result: false, returnCode, message }`: 400 (incomplete request, account not
 *   authorised, unknown carrier), 408 (phone check failed), 500 (查询无结果), 503 (bad sign),
 *   601 (key expired / no queries left);
 * - 智能单号识别 `/autonumber/auto?num=…&key=…` (GET or POST): `[{ lengthPre, comCode, name }]`,
 *   or `{ result: false, returnCode: '701' | '601' | '201', message }`.
 */

export interface FakeAccount {
  customer: string
  key: string
  /** queries left on the plan; 0 answers 601 */
  queriesLeft?: number
  /** whether carrier detection is open for this key */
  autoNumber?: boolean
}

export interface RecordedRequest {
  method: string
  path: string
  /** the form fields or query parameters received */
  fields: Record<string, string>
}

export interface FakeKuaidi100 {
  url: string
  requests: RecordedRequest[]
  /** requests to a path (all when omitted) */
  count(path?: string): number
  /** answer the next `times` requests with HTTP 502 from the gateway, or with returnCode 502 服务器繁忙 */
  failNext(times: number, kind?: 'gateway' | 'busy'): void
  /** wait this long before answering every request */
  delayMs: number
  reset(): void
  close(): Promise<void>
}

const refusal = (returnCode: string, message: string) => ({ result: false, returnCode, message })

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Starts the fake Kuaidi100 on 127.0.0.1 and a free port. */
export async function startFakeKuaidi100(options: {
  accounts: FakeAccount[]
  parcels: FixtureParcel[]
}): Promise<FakeKuaidi100> {
  const requests: RecordedRequest[] = []
  const timers = new Set<NodeJS.Timeout>()
  const queriesUsed = new Map<string, number>()
  let failures: { times: number; kind: 'gateway' | 'busy' } = { times: 0, kind: 'gateway' }

  function query(fields: Record<string, string>, isForm: boolean, method: string): unknown {
    if (method !== 'POST') return refusal('500', '查询无结果，请隔段时间再查')
    const { customer, sign, param } = fields
    if (!isForm || !customer || !sign || !param) return refusal('400', '提交的数据不完整，或者贵公司没授权')
    const account = options.accounts.find((a) => a.customer === customer)
    if (!account) return refusal('400', '提交的数据不完整，或者贵公司没授权')
    const expected = createHash('md5')
      .update(param + account.key + account.customer, 'utf8')
      .digest('hex')
      .toUpperCase()
    if (sign !== expected) return refusal('503', '验证签名失败')
    const used = queriesUsed.get(customer) ?? 0
    if (account.queriesLeft !== undefined && used >= account.queriesLeft) return refusal('601', 'POLL:KEY已过期')
    let request: { com?: string; num?: string; phone?: string; resultv2?: string; order?: string }
    try {
      request = JSON.parse(param) as typeof request
    } catch {
      return refusal('400', '提交的数据不完整，或者贵公司没授权')
    }
    if (!request.com || !request.num || request.num.length < 6 || request.num.length > 32)
      return refusal('400', '提交的数据不完整，或者贵公司没授权')
    if (!carrierCodes.includes(request.com)) return refusal('400', '找不到对应公司')
    queriesUsed.set(customer, used + 1)
    const parcel = options.parcels.find((p) => p.com === request.com && p.num === request.num)
    if (!parcel) return refusal('500', '查询无结果，请隔段时间再查')
    if (parcel.phoneLast4 && (request.phone ?? '').replace(/\D/g, '').slice(-4) !== parcel.phoneLast4)
      return refusal('408', '快递公司参数异常：验证码错误')
    const detailed = request.resultv2 !== undefined && request.resultv2 !== '0'
    const data = parcel.events.map((e) => ({
      time: e.time,
      context: e.context,
      ftime: e.time,
      ...(detailed ? { areaCode: null, areaName: e.areaName, status: e.status, location: e.location } : {}),
    }))
    return {
      message: 'ok',
      nu: parcel.num,
      ischeck: parcel.state === '3' ? '1' : '0',
      condition: parcel.state === '3' ? 'F00' : '00',
      com: parcel.com,
      status: '200',
      state: parcel.state,
      data: request.order === 'asc' ? data.reverse() : data,
    }
  }

  function autoNumber(fields: Record<string, string>): unknown {
    const { num, key } = fields
    if (!key) return refusal('701', 'POLL: KEY 缺失')
    const account = options.accounts.find((a) => a.key === key)
    if (!account || account.autoNumber === false) return refusal('601', 'POLL: KEY 已过期')
    if (!num || !/^[A-Za-z0-9]{6,32}$/.test(num)) return refusal('201', '不是有效的快递单号')
    return (carrierCandidates[num] ?? []).map((c) => ({ lengthPre: num.length, ...c }))
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    if (res.destroyed) return
    const isText = typeof body === 'string'
    res.writeHead(status, { 'content-type': isText ? 'text/html' : 'application/json;charset=UTF-8' })
    res.end(isText ? body : JSON.stringify(body))
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const body = await readBody(req)
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    const fields = {
      ...Object.fromEntries(url.searchParams),
      ...(isForm ? Object.fromEntries(new URLSearchParams(body)) : {}),
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, fields })
    if (fake.delayMs > 0)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, fake.delayMs)
        timers.add(timer)
      })
    if (failures.times > 0) {
      failures.times--
      if (failures.kind === 'busy') return send(res, 200, refusal('502', '服务器繁忙'))
      return send(
        res,
        502,
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
      )
    }
    if (url.pathname === '/poll/query.do') return send(res, 200, query(fields, isForm, req.method ?? 'GET'))
    if (url.pathname === '/autonumber/auto') return send(res, 200, autoNumber(fields))
    send(res, 404, '<html><body><h1>404 Not Found</h1></body></html>')
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, String(error)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

  const fake: FakeKuaidi100 = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    delayMs: 0,
    count: (path) => requests.filter((r) => path === undefined || r.path === path).length,
    failNext(times, kind = 'gateway') {
      failures = { times, kind }
    },
    reset() {
      requests.length = 0
      queriesUsed.clear()
      failures = { times: 0, kind: 'gateway' }
      fake.delayMs = 0
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return fake
}
