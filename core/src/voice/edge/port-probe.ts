import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import type { EdgePlan } from './edge-plan.js'

export interface PortUse {
  transport: 'udp' | 'tcp'
  address: string
  port: number
  /** what the edge uses it for, e.g. "SIP over UDP" */
  purpose: string
}

/** Every port the voice edge binds (the media range aside), with what it is for. */
export function edgePorts(plan: EdgePlan): PortUse[] {
  const purpose = { sip: 'SIP', ws: 'SIP over WebSocket', wss: 'SIP over secure WebSocket' }
  return [
    ...plan.listeners.map((l) => ({
      transport: l.transport === 'udp' ? ('udp' as const) : ('tcp' as const),
      address: plan.listenAddress,
      port: l.port,
      purpose: l.kind === 'sip' ? `${purpose.sip} over ${l.transport.toUpperCase()}` : purpose[l.kind],
    })),
    { transport: 'udp', address: '127.0.0.1', port: plan.rtpenginePort, purpose: 'rtpengine commands (ng)' },
  ]
}

/** Resolves undefined when the port can be bound now, else the error code (EADDRINUSE, EACCES…). */
export function probePort(use: Pick<PortUse, 'transport' | 'address' | 'port'>): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (use.transport === 'udp') {
      const socket = createSocket('udp4')
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close()
        resolve(error.code ?? error.message)
      })
      socket.bind(use.port, use.address, () => socket.close(() => resolve(undefined)))
      return
    }
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    server.listen(use.port, use.address, () => server.close(() => resolve(undefined)))
  })
}

/** The ports of the plan that are taken, each with the reason. */
export async function busyPorts(plan: EdgePlan): Promise<Array<PortUse & { error: string }>> {
  const results = await Promise.all(edgePorts(plan).map(async (use) => ({ ...use, error: await probePort(use) })))
  return results.filter((r): r is PortUse & { error: string } => r.error !== undefined)
}
