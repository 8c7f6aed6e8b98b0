import Nes from '@hapi/nes'
import type { TestApp } from './test-app.js'

/** What a test socket received on one of its subscriptions. */
export interface ReceivedEvent {
  path: string
  message: Record<string, unknown>
  revoked: boolean
}

/** A nes client signed in with a bearer token, keeping everything it receives. */
export interface RealtimeSocket {
  client: Nes.Client
  inbox: ReceivedEvent[]
  subscribe(path: string): Promise<void>
  /** the refusal of a subscription: status, stable code and message; null when it was allowed */
  refusal(path: string): Promise<{ status?: number; code?: string; message: string } | null>
  events(path: string, type?: string): ReceivedEvent[]
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `find` returns something truthy, for at most `ms`. */
export async function eventually<T>(what: string, find: () => T | undefined | null | false, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const found = find()
    if (found) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Opens a socket on a listening test app with a ticket for this bearer token (GET /nes/auth). */
export async function openRealtimeSocket(t: TestApp, token: string): Promise<RealtimeSocket> {
  const ticket = await t.app.server.inject({ url: '/nes/auth', headers: { authorization: `Bearer ${token}` } })
  if (ticket.statusCode !== 200) throw new Error(`no socket ticket: ${ticket.statusCode} ${ticket.payload}`)
  const client = new Nes.Client(`ws://127.0.0.1:${t.app.server.info.port}/realtime`)
  const socket: RealtimeSocket = {
    client,
    inbox: [],
    async subscribe(path) {
      await client.subscribe(path, (message, flags) =>
        socket.inbox.push({ path, message: message as Record<string, unknown>, revoked: Boolean(flags?.revoked) }),
      )
    },
    async refusal(path) {
      const error = (await socket.subscribe(path).then(
        () => null,
        (e: unknown) => e,
      )) as (Error & { statusCode?: number; data?: { code?: string } }) | null
      return error && { status: error.statusCode, code: error.data?.code, message: error.message }
    },
    events: (path, type) => socket.inbox.filter((r) => r.path === path && (!type || r.message.type === type)),
    close: () => client.disconnect(),
  }
  await client.connect({ auth: (JSON.parse(ticket.payload) as { token: string }).token, delay: 100, maxDelay: 200 })
  return socket
}
