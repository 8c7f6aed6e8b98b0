import { randomBytes } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { bdecode, bencode, type BencodeValue } from './bencode.js'

export type NgDictionary = { [key: string]: BencodeValue }

/** A command of rtpengine's ng protocol: `ping`, `offer`, `answer`, `delete`, `query`, `list`, `statistics`… */
export type NgCommand = NgDictionary & { command: string }

export interface NgClient {
  /** Sends one command and resolves with rtpengine's reply (its `result` may be `error`). */
  command(request: NgCommand, timeoutMs?: number): Promise<NgDictionary>
  /** true when rtpengine answers `ping` with `pong` in time */
  ping(timeoutMs?: number): Promise<boolean>
  close(): void
}

/**
 * A client of rtpengine's ng protocol: `<cookie> <bencoded dictionary>` datagrams over UDP.
 * A command is sent again, with the same cookie, when half its time passes without an answer:
 * rtpengine answers a repeated cookie from its cache instead of acting twice.
 */
export function createNgClient(options: { port: number; host?: string }): NgClient {
  const host = options.host ?? '127.0.0.1'
  let socket: Socket | undefined
  const pending = new Map<string, (reply: NgDictionary) => void>()

  const open = (): Socket => {
    if (socket) return socket
    const s = createSocket('udp4')
    s.on('message', (message) => {
      const space = message.indexOf(0x20)
      if (space < 0) return
      const cookie = message.toString('ascii', 0, space)
      const resolve = pending.get(cookie)
      if (!resolve) return
      try {
        const reply = bdecode(message.subarray(space + 1))
        if (typeof reply === 'object' && reply !== null && !Array.isArray(reply)) resolve(reply)
      } catch {
        // a garbled datagram: wait for the retry
      }
    })
    s.on('error', () => undefined)
    s.unref()
    socket = s
    return s
  }

  const command = (request: NgCommand, timeoutMs = 2000): Promise<NgDictionary> => {
    const s = open()
    const cookie = randomBytes(8).toString('hex')
    const datagram = Buffer.concat([Buffer.from(`${cookie} `), bencode(request)])
    return new Promise((resolve, reject) => {
      const send = () => s.send(datagram, options.port, host, () => undefined)
      const retry = setTimeout(send, timeoutMs / 2)
      const timer = setTimeout(() => {
        pending.delete(cookie)
        reject(
          new Error(`rtpengine did not answer "${request.command}" on ${host}:${options.port} within ${timeoutMs} ms`),
        )
      }, timeoutMs)
      pending.set(cookie, (reply) => {
        clearTimeout(retry)
        clearTimeout(timer)
        pending.delete(cookie)
        resolve(reply)
      })
      send()
    })
  }

  return {
    command,
    async ping(timeoutMs = 1000) {
      try {
        return (await command({ command: 'ping' }, timeoutMs)).result === 'pong'
      } catch {
        return false
      }
    },
    close() {
      socket?.close()
      socket = undefined
    },
  }
}
