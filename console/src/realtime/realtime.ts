import { Client } from '@hapi/nes/lib/client'
import { ref, type Ref } from 'vue'

/**
 * The console's realtime connection: one nes WebSocket at /realtime, opened with a ticket from
 * GET /nes/auth (the session cookie proves who we are). Pages subscribe to paths (see
 * core/src/realtime/realtime-paths.ts); nes re-subscribes them after a reconnect, and every
 * `onResync` listener runs then so a page reloads what it may have missed while offline.
 */
export type RealtimeStatus = 'offline' | 'connecting' | 'online'
export type RealtimeHandler<T = RealtimeEvent> = (event: T) => void

/** What every realtime event has; see core/src/realtime/realtime-events.ts for the shapes. */
export interface RealtimeEvent {
  type: string
  conversationId?: string
  version?: number
  [key: string]: unknown
}

class RealtimeConnection {
  readonly status: Ref<RealtimeStatus> = ref('offline')
  private client: Client | null = null
  private opening: Promise<void> | null = null
  private readonly resyncListeners = new Set<() => void>()
  private everConnected = false

  /** Opens the socket (once); resolves when it is connected. */
  connect(): Promise<void> {
    // parts of a page connect at once: while the first is still fetching its ticket there is no
    // client yet, and a second socket would be opened beside it (its subscriptions then lost)
    if (this.opening) return this.opening
    if (this.client && this.status.value !== 'offline') return Promise.resolve()
    this.opening = this.open().finally(() => (this.opening = null))
    return this.opening
  }

  private async open(): Promise<void> {
    this.status.value = 'connecting'
    const res = await fetch('/nes/auth', { credentials: 'same-origin' })
    if (!res.ok) {
      this.status.value = 'offline'
      throw new Error(`realtime ticket refused (${res.status})`)
    }
    const { token } = (await res.json()) as { token: string }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    const client = new Client(`${scheme}://${location.host}/realtime`)
    client.onConnect = () => {
      this.status.value = 'online'
      if (this.everConnected) this.resyncListeners.forEach((fn) => fn())
      this.everConnected = true
    }
    client.onDisconnect = (willReconnect: boolean) => {
      this.status.value = willReconnect ? 'connecting' : 'offline'
    }
    client.onError = () => {}
    this.client = client
    await client.connect({ auth: token, delay: 500, maxDelay: 5000 })
  }

  /** Follows a path; returns the function that stops following it. */
  async subscribe<T = RealtimeEvent>(path: string, handler: RealtimeHandler<T>): Promise<() => void> {
    await this.connect()
    const client = this.client!
    const listener = (message: unknown) => handler(message as T)
    await client.subscribe(path, listener)
    return () => {
      client.unsubscribe(path, listener).catch(() => {})
    }
  }

  /** Runs after every reconnect: reload what may have changed meanwhile. Returns the remover. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener)
    return () => this.resyncListeners.delete(listener)
  }

  async disconnect(): Promise<void> {
    const client = this.client
    this.client = null
    this.everConnected = false
    this.status.value = 'offline'
    await client?.disconnect()
  }
}

export const realtime = new RealtimeConnection()

export { createVersionGate } from './version-gate'
