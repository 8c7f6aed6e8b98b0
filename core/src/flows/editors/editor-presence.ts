import { randomUUID } from 'node:crypto'
import type { EventBus } from '../../infra/index.js'

/** Who has a flow open in the builder: one entry per open editor (a browser tab's socket). */
export interface FlowEditor {
  /** the editor's session: one per socket and flow */
  key: string
  userId: string
  name: string
  email: string
  role: string
  /** when this editor opened the flow (ISO) */
  since: string
}

export interface EditorPresenceOptions {
  bus: EventBus
  /** an entry not heard of for this long is dropped (its instance died); default 45 s */
  ttlMs?: number
  /** how often this instance repeats its own entries on the bus; default 15 s */
  heartbeatMs?: number
  /** how often stale entries are swept; default 1 s */
  sweepMs?: number
}

type PresenceMessage =
  | { op: 'join' | 'heartbeat'; instance: string; flowId: string; editor: FlowEditor; ttlMs: number }
  | { op: 'leave'; instance: string; flowId: string; key: string }

const TOPIC = 'flow.editors'

export type EditorsListener = (flowId: string, editors: FlowEditor[]) => void

/**
 * Editors' presence on flows, shared by every core instance through the bus: an instance
 * announces the editors whose sockets it holds (join), repeats them every `heartbeatMs`
 * and announces their leaving (socket closed or unsubscribed). Every instance keeps the
 * whole picture from those messages; an entry whose heartbeats stop (its instance crashed)
 * expires after its TTL, counted on the receiver's clock. Nothing is stored: a restarted
 * instance knows every editor again within one heartbeat.
 */
export function createEditorPresence(options: EditorPresenceOptions) {
  const { bus } = options
  const ttlMs = options.ttlMs ?? 45_000
  const heartbeatMs = options.heartbeatMs ?? 15_000
  const instance = randomUUID()
  /** flowId → key → entry with its expiry on this instance's clock */
  const flows = new Map<string, Map<string, { editor: FlowEditor; expiresAt: number }>>()
  /** this instance's own editors (by flow and key), repeated as heartbeats */
  const own = new Map<string, { flowId: string; editor: FlowEditor }>()
  const ownKey = (flowId: string, key: string) => `${flowId}\u0000${key}`
  const listeners = new Set<EditorsListener>()
  const timers: NodeJS.Timeout[] = []
  let unsubscribe: (() => Promise<void>) | null = null

  const list = (flowId: string): FlowEditor[] =>
    [...(flows.get(flowId)?.values() ?? [])].map((e) => e.editor).sort((a, b) => a.since.localeCompare(b.since))

  const changed = (flowId: string) => {
    const editors = list(flowId)
    for (const listener of listeners) listener(flowId, editors)
  }

  function apply(message: PresenceMessage) {
    if (message.op === 'leave') {
      const entries = flows.get(message.flowId)
      if (entries?.delete(message.key)) {
        if (!entries.size) flows.delete(message.flowId)
        changed(message.flowId)
      }
      return
    }
    let entries = flows.get(message.flowId)
    if (!entries) flows.set(message.flowId, (entries = new Map()))
    const known = entries.has(message.editor.key)
    entries.set(message.editor.key, { editor: message.editor, expiresAt: Date.now() + message.ttlMs })
    if (!known) changed(message.flowId)
  }

  function sweep() {
    const now = Date.now()
    for (const [flowId, entries] of flows) {
      let dropped = false
      for (const [key, entry] of entries)
        if (entry.expiresAt <= now && !own.has(ownKey(flowId, key))) {
          entries.delete(key)
          dropped = true
        }
      if (!entries.size) flows.delete(flowId)
      if (dropped) changed(flowId)
    }
  }

  const send = (message: PresenceMessage) => bus.publish(TOPIC, message)

  /** Announces an editor of this instance; it stays until leave() (or this instance dies). */
  async function join(flowId: string, editor: Omit<FlowEditor, 'since'>): Promise<FlowEditor> {
    const entry = { ...editor, since: new Date().toISOString() }
    own.set(ownKey(flowId, editor.key), { flowId, editor: entry })
    // applied here at once (the caller answers with the list), and on every other instance through the bus
    apply({ op: 'join', instance, flowId, editor: entry, ttlMs })
    await send({ op: 'join', instance, flowId, editor: entry, ttlMs })
    return entry
  }

  async function leave(flowId: string, key: string): Promise<void> {
    if (!own.delete(ownKey(flowId, key))) return
    apply({ op: 'leave', instance, flowId, key })
    await send({ op: 'leave', instance, flowId, key })
  }

  return {
    list,
    join,
    leave,

    /** Called with a flow's editors whenever someone opens or leaves it. Returns the remover. */
    onChange(listener: EditorsListener): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async start(): Promise<void> {
      if (unsubscribe) return
      unsubscribe = await bus.subscribe(TOPIC, (event) => {
        const message = event as PresenceMessage
        if (message.instance !== instance) apply(message)
      })
      timers.push(
        setInterval(() => {
          for (const { flowId, editor } of own.values())
            void send({ op: 'heartbeat', instance, flowId, editor, ttlMs }).catch(() => undefined)
        }, heartbeatMs),
        setInterval(sweep, options.sweepMs ?? 1_000),
      )
      for (const t of timers) t.unref()
    },

    async stop(): Promise<void> {
      for (const t of timers.splice(0)) clearInterval(t)
      // tell the others at once rather than letting the entries expire
      for (const { flowId, editor } of [...own.values()]) await leave(flowId, editor.key).catch(() => undefined)
      await unsubscribe?.()
      unsubscribe = null
    },
  }
}
export type EditorPresence = ReturnType<typeof createEditorPresence>
