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
 * A port on 127.0.0.1 that is free for both UDP and TCP (SIP listens on both), picked at
 * random below Linux's ephemeral range (32768+) so outgoing sockets do not take it meanwhile.
 */
export async function freeSipPort(used: Set<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 15_000 + Math.floor(Math.random() * 5_000)
    if (used.has(port)) continue
    if ((await udpFree(port)) && (await tcpFree(port))) {
      used.add(port)
      return port
    }
  }
  throw new Error('no free SIP port found in 15000-19999')
}

/** A random block of `size` UDP ports in 20000-29999 for rtpengine's media (it skips ports in use). */
export function rtpPortRange(size = 100): string {
  const low = 20_000 + 2 * Math.floor(Math.random() * ((10_000 - size) / 2))
  return `${low}-${low + size - 1}`
}
