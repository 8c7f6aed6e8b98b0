import { Client } from '@hapi/nes/lib/client'

/**
 * The builder's realtime connection: one nes WebSocket at /realtime with a ticket from GET
 * /nes/auth (the session cookie), as the console does (console/src/realtime/realtime.ts). nes
 * subscribes again after a reconnect, which is joining the flow's editors again.
 */
let client: Client | null = null
let opening: Promise<Client> | null = null

async function open(): Promise<Client> {
  const res = await fetch('/nes/auth', { credentials: 'same-origin' })
  if (!res.ok) throw new Error(`realtime ticket refused (${res.status})`)
  const { token } = (await res.json()) as { token: string }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const c = new Client(`${scheme}://${location.host}/realtime`)
  c.onError = () => {}
  await c.connect({ auth: token, delay: 500, maxDelay: 5000 })
  client = c
  return c
}

export function connection(): Promise<Client> {
  if (client) return Promise.resolve(client)
  opening ??= open().finally(() => (opening = null))
  return opening
}

/** This tab's socket id: the key of my entry in a flow's editors. */
export const socketId = (): string | null => client?.id ?? null

/** Follows a path; returns the function that stops following it. */
export async function follow(path: string, handler: (message: unknown) => void): Promise<() => void> {
  const c = await connection()
  const listener = (message: unknown) => handler(message)
  await c.subscribe(path, listener)
  return () => void c.unsubscribe(path, listener).catch(() => {})
}
