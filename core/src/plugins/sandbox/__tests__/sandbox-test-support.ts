// Helpers for the sandbox's own tests (not exported from index.ts).
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HostCapabilities, SandboxLimits } from '../plugin-sandbox.js'

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
}

export const testLimits: SandboxLimits = {
  memoryMb: 64,
  cpuMs: 500,
  timeoutMs: 3000,
  maxResponseBytes: 64 * 1024,
  fetchTimeoutMs: 2000,
  maxResultBytes: 256 * 1024,
}

/** In-memory capabilities that record what the plugin did with them. */
export function recordingCapabilities() {
  const kv = new Map<string, unknown>()
  const cache = new Map<string, unknown>()
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = []
  const emitted: Array<{ topic: string; data: unknown }> = []
  const received: Array<{ channel: string; message: unknown }> = []
  const seen = new Set<string>()
  const capabilities: HostCapabilities = {
    kv: {
      async get(key) {
        if (key === 'slow') await new Promise((resolve) => setTimeout(resolve, 20))
        return kv.get(key)
      },
      async set(key, value) {
        kv.set(key, value)
      },
      async delete(key) {
        kv.delete(key)
      },
      async list(prefix) {
        return [...kv.keys()].filter((k) => k.startsWith(prefix)).sort()
      },
    },
    cache: {
      async get(key) {
        return cache.get(key)
      },
      async set(key, value) {
        cache.set(key, value)
      },
    },
    log(level, message, fields) {
      logs.push({ level, message, ...(fields ? { fields } : {}) })
    },
    async emit(topic, data) {
      emitted.push({ topic, data })
    },
    async receive(channel, message) {
      const id = (message as { channelMessageId: string }).channelMessageId
      const duplicate = seen.has(id)
      seen.add(id)
      received.push({ channel, message })
      return { duplicate }
    },
  }
  return { capabilities, kv, cache, logs, emitted, received }
}

/** A node:http server on 127.0.0.1 with a random port; it counts the requests it got. */
export async function startServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; origin: string; host: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0
  const server = createServer((request, response) => {
    count++
    handler(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
