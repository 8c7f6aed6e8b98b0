import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { TOLERANCE_SECONDS, verifySwitchboardSignature } from './verify-signature.js'

/** A scripted answer to the next request, instead of the protocol's normal one. */
export interface ScriptedAnswer {
  status: number
  /** an object is sent as JSON, a string as is */
  body?: unknown
  delayMs?: number
}

export interface FakeCrmOptions {
  secret: string
  /** customer records as the shop's backend would return them */
  contacts?: Array<Record<string, unknown>>
  /** answer an unknown contact with 404 instead of 200 { contact: null } */
  notFoundAs404?: boolean
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders
  rawBody: string
  body: Record<string, unknown> | undefined
  verdict: ReturnType<typeof verifySwitchboardSignature> | { ok: false; reason: 'replayed requestId' }
}

/**
 * A shop backend implementing the crm-webhook protocol exactly as the README specifies: one
 * POST endpoint; every request's signature and timestamp window checked with the README's
 * `verifySwitchboardSignature` (401 otherwise); request ids remembered for the window (409 on a
 * replay); `contact.lookup`, `interaction.record` and `ping`.
 */
export async function startFakeCrm(options: FakeCrmOptions) {
  const requests: ReceivedRequest[] = []
  const interactions: Array<Record<string, unknown>> = []
  const seen = new Map<string, number>()
  const script: ScriptedAnswer[] = []
  const timers = new Set<NodeJS.Timeout>()
  /** the server's clock, as an offset from the real one (to play a stale or future request) */
  const clock = { offsetSeconds: 0 }
  const now = () => Date.now() + clock.offsetSeconds * 1000

  function send(res: ServerResponse, status: number, body?: unknown) {
    if (res.destroyed) return
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body))
  }
  const fail = (res: ServerResponse, status: number, message: string) => send(res, status, { error: { message } })

  function lookup(query: Record<string, unknown>) {
    return (options.contacts ?? []).find((c) =>
      (['phone', 'email', 'externalId'] as const).some((k) => query[k] !== undefined && c[k] === query[k]),
    )
  }

  function handle(res: ServerResponse, received: ReceivedRequest) {
    const verdict = verifySwitchboardSignature(received.rawBody, received.headers, options.secret, now())
    received.verdict = verdict
    if (!verdict.ok) return fail(res, 401, verdict.reason)
    const body = JSON.parse(received.rawBody) as Record<string, unknown>
    received.body = body
    if (String(body.timestamp) !== received.headers['x-switchboard-timestamp'])
      return fail(res, 400, 'timestamp in the body differs from the header')
    for (const [id, at] of seen) if (now() - at > TOLERANCE_SECONDS * 1000) seen.delete(id)
    if (seen.has(String(body.requestId))) {
      received.verdict = { ok: false, reason: 'replayed requestId' }
      return fail(res, 409, 'requestId already seen')
    }
    seen.set(String(body.requestId), now())
    const scripted = script.shift()
    if (scripted) {
      if (!scripted.delayMs) return send(res, scripted.status, scripted.body)
      const t = setTimeout(() => send(res, scripted.status, scripted.body), scripted.delayMs)
      return void timers.add(t)
    }
    switch (body.type) {
      case 'ping':
        return send(res, 200, {})
      case 'contact.lookup': {
        const contact = lookup(body.query as Record<string, unknown>)
        if (!contact && options.notFoundAs404) return fail(res, 404, 'contact not found')
        return send(res, 200, { contact: contact ?? null })
      }
      case 'interaction.record': {
        const interaction = body.interaction as Record<string, unknown>
        if (!lookup(interaction.contact as Record<string, unknown>)) return fail(res, 404, 'contact not found')
        interactions.push(interaction)
        return send(res, 202, {})
      }
      default:
        return fail(res, 400, `unknown type ${String(body.type)}`)
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const received: ReceivedRequest = {
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        body: undefined,
        verdict: { ok: false, reason: 'not checked' },
      }
      requests.push(received)
      if (req.method !== 'POST' || req.url !== '/switchboard/webhook') return fail(res, 404, 'no such endpoint')
      handle(res, received)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}/switchboard/webhook`,
    port,
    requests,
    interactions,
    clock,
    /** answers the next requests (after their signature passed) with these, in order */
    script(...answers: ScriptedAnswer[]) {
      script.push(...answers)
    },
    async close() {
      for (const t of timers) clearTimeout(t)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type FakeCrm = Awaited<ReturnType<typeof startFakeCrm>>
