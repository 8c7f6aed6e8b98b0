import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebhookPoster, MAX_RESPONSE_BYTES } from './webhook-poster.js'

let server: Server
let port: number
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    if (req.url === '/redirect') return res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' }).end()
    if (req.url === '/big') return res.writeHead(200).end(Buffer.alloc(MAX_RESPONSE_BYTES * 4, 'x'))
    if (req.url === '/hang') return
    res.writeHead(200).end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

describe('webhook poster', () => {
  it('refuses private addresses at connect time, by IP or by a name resolving to one', async () => {
    const poster = createWebhookPoster({ timeoutMs: 2000, allowPrivate: false })
    const byIp = await poster.post(`http://127.0.0.1:${port}/`, '{}', {})
    expect(byIp).toMatchObject({ responseStatus: null, error: '127.0.0.1 is a private or loopback address' })
    const byName = await poster.post(`http://localhost:${port}/`, '{}', {})
    expect(byName.responseStatus).toBeNull()
    expect(byName.error).toMatch(/^localhost resolves to the private address/)
    poster.close()
  })

  it('does not follow redirects, reads at most 64 KiB, and gives up after the timeout', async () => {
    const poster = createWebhookPoster({ timeoutMs: 300, allowPrivate: true })
    const base = `http://127.0.0.1:${port}`
    expect(await poster.post(`${base}/ok`, '{}', {})).toMatchObject({ responseStatus: 200, error: null })
    expect(await poster.post(`${base}/redirect`, '{}', {})).toMatchObject({
      responseStatus: 302,
      error: 'HTTP 302 (redirects are not followed)',
    })
    expect(await poster.post(`${base}/big`, '{}', {})).toMatchObject({ responseStatus: 200, error: null })
    expect(await poster.post(`${base}/hang`, '{}', {})).toMatchObject({
      responseStatus: null,
      error: 'no answer within 300 ms',
    })
    poster.close()
  })
})
