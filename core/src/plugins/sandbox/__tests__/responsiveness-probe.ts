import { Agent, get } from 'node:http'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { startServer } from './sandbox-test-support.js'

/**
 * A small HTTP server in the test process, standing for "the rest of Switchboard": while a
 * plugin attacks, requests to it must keep being answered quickly.
 */
export async function startProbeServer() {
  const server = await startServer((_request, response) => response.end('pong'))
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })

  function once(): Promise<number> {
    const started = performance.now()
    return new Promise((resolve, reject) => {
      get(`${server.origin}/`, { agent }, (response) => {
        response.resume()
        response.on('end', () => resolve(performance.now() - started))
      }).on('error', reject)
    })
  }

  return {
    /**
     * Runs `attack` again and again until at least `minProbes` requests were answered while an
     * attack was running (one request every few milliseconds), or `maxMs` passed. Returns each
     * attack's result and each request's latency in ms.
     */
    async duringAttack<T>(attack: () => Promise<T>, minProbes = 20, maxMs = 15_000) {
      const results: T[] = []
      const latencies: number[] = []
      const deadline = performance.now() + maxMs
      let running = true
      await once() // a warm connection, so the first measured request is not a TCP handshake
      const attacks = (async () => {
        try {
          do results.push(await attack())
          while (latencies.length < minProbes && performance.now() < deadline)
        } finally {
          running = false
        }
      })()
      while (running) {
        latencies.push(await once())
        await sleep(2)
      }
      await attacks
      return { results, latencies }
    },
    async close() {
      agent.destroy()
      await server.close()
    },
  }
}
