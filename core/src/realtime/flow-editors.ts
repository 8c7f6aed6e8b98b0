import type { Server } from '@hapi/hapi'
import type { Nes } from '@hapi/nes'
import type { AuthCredentials } from '../auth/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { subscriptionForbidden, subscriptionNotFound } from './realtime-errors.js'
import type { SocketSessions } from './socket-sessions.js'

/** The subset of the flows module's presence this file uses (core/src/flows/editors/editor-presence.ts). */
export interface FlowEditorsPresence {
  list(flowId: string): unknown[]
  join(
    flowId: string,
    editor: { key: string; userId: string; name: string; email: string; role: string },
  ): Promise<unknown>
  leave(flowId: string, key: string): Promise<void>
  onChange(listener: (flowId: string, editors: unknown[]) => void): () => void
  start(): Promise<void>
  stop(): Promise<void>
}

/** Who has a flow open in the builder, and its draft saves: admins and supervisors. */
export const FLOW_EDITORS_PATH = '/flows/{id}/editors'
export const flowEditorsPath = (flowId: string) => `/flows/${flowId}/editors`

/**
 * `/flows/{id}/editors`: subscribing is opening the flow in the builder (the socket joins the
 * flow's editors), unsubscribing or closing the socket is leaving it. Subscribers get
 * `flow.editors` (the whole list, on every join and leave, and once on subscribe) and
 * `flow.draft.saved` (revision, who, when) from the bus.
 */
export function declareFlowEditors(
  server: Server,
  deps: { db: Db; bus: EventBus; logger: Logger; sessions: SocketSessions; presence: FlowEditorsPresence },
): void {
  const { db, bus, logger, sessions, presence } = deps
  const flowIdOf = async (idOrName: string) =>
    (await db.flow.findFirst({ where: { OR: [{ id: idOrName }, { name: idOrName }] }, select: { id: true } }))?.id

  server.subscription(FLOW_EDITORS_PATH, {
    auth: { mode: 'required' },
    async onSubscribe(socket: Nes.Socket, _path: string, params?: unknown) {
      const credentials: AuthCredentials = await sessions.verify(socket)
      if (!credentials.scope.includes('supervisor'))
        throw subscriptionForbidden(
          `Following a flow's editors needs the role supervisor; you are ${credentials.user.role}`,
        )
      const { id } = (params ?? {}) as { id?: string }
      const flowId = id ? await flowIdOf(id) : undefined
      if (!flowId || flowId !== id) throw subscriptionNotFound(`No flow ${id} (subscribe with the flow's id)`)
      const { user } = credentials
      await presence.join(flowId, {
        key: socket.id,
        userId: user.id,
        name: user.name ?? user.email,
        email: user.email,
        role: user.role,
      })
      // the list as it is now, once the subscription is in place
      setImmediate(() => {
        if (socket.isOpen())
          void socket
            .publish(flowEditorsPath(flowId), { type: 'flow.editors', flowId, editors: presence.list(flowId) })
            .catch(() => undefined)
      })
    },
    async onUnsubscribe(socket: Nes.Socket, _path: string, params?: unknown) {
      const { id } = (params ?? {}) as { id?: string }
      if (id) await presence.leave(id, socket.id)
    },
  })

  const publish = (flowId: string, message: unknown) =>
    Promise.resolve(server.publish(flowEditorsPath(flowId), message) as unknown).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not tell a flow’s editors'),
    )

  let stopListening: (() => void) | null = null
  let unsubscribe: (() => Promise<void>) | null = null
  server.ext('onPreStart', async () => {
    stopListening = presence.onChange(
      (flowId, editors) => void publish(flowId, { type: 'flow.editors', flowId, editors }),
    )
    unsubscribe = await bus.subscribe('flow.draft.saved', (event) => {
      const saved = event as { flowId: string }
      void publish(saved.flowId, { type: 'flow.draft.saved', ...saved })
    })
    await presence.start()
  })
  server.ext('onPreStop', async () => {
    stopListening?.()
    await unsubscribe?.()
    await presence.stop()
  })
}
