import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', () => {
      socket.close()
      resolve(false)
    })
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)))
  })
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * Each vitest worker picks its ports from its own slice (VITEST_POOL_ID), so two test files
 * running at the same time cannot both pick a port that is free when they look.
 */
function workerSlice(low: number, high: number): { low: number; size: number } {
  const slices = 4
  const size = Math.floor((high - low) / slices)
  const worker = Number(process.env.VITEST_POOL_ID ?? 1) % slices
  return { low: low + worker * size, size }
}

/**
 * An even port on 127.0.0.1, free for both UDP and TCP (SIP listens on both), below Linux's
 * ephemeral range (32768+) so outgoing sockets do not take it meanwhile. The next three ports
 * are kept out of later picks: SIPp's media port uses +1 (RTCP) and +2, +3 (video).
 */
export async function freeSipPort(used: Set<number> = new Set()): Promise<number> {
  const { low, size } = workerSlice(12_000, 20_000)
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + 4 * Math.floor(Math.random() * (size / 4))
    if (used.has(port)) continue
    if ((await udpFree(port)) && (await tcpFree(port))) {
      for (let i = 0; i < 4; i++) used.add(port + i)
      return port
    }
  }
  throw new Error(`no free SIP port found in ${low}-${low + size - 1}`)
}

/** A random block of `size` UDP ports in 20000-31999 for rtpengine's media (it skips ports in use). */
export function rtpPortRange(size = 100): string {
  const slice = workerSlice(20_000, 32_000)
  const low = slice.low + 2 * Math.floor(Math.random() * ((slice.size - size) / 2))
  return `${low}-${low + size - 1}`
}
