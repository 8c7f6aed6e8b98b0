import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Hapi from '@hapi/hapi'
import Inert from '@hapi/inert'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webAppRoutes } from '../../core/src/http/web-app-routes.js'

/** The core serves the built console (a Vite single-page app) at /console. */
describe('serving a built web app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-webapp-'))
  const server = Hapi.server({ router: { stripTrailingSlash: true } })
  const missing = Hapi.server({ router: { stripTrailingSlash: true } })

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>')
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)')
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>')
    writeFileSync(join(dir, '..', 'secret.txt'), 'not for you')
    await server.register(Inert)
    server.route(webAppRoutes('/console', dir, 'console'))
    await missing.register(Inert)
    missing.route(webAppRoutes('/console', join(dir, 'nope'), 'console'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(join(dir, '..', 'secret.txt'), { force: true })
  })

  it("answers the app's own paths with index.html, never cached", async () => {
    for (const url of ['/console', '/console/', '/console/inbox', '/console/inbox/3f2a-b', '/console/admin/queues']) {
      const res = await server.inject(url)
      expect(res.statusCode, url).toBe(200)
      expect(res.payload).toContain('id="app"')
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.headers['cache-control']).toBe('no-cache')
    }
  })

  it('serves hashed assets for a year and other files briefly; a missing file is a 404, not the page', async () => {
    const asset = await server.inject('/console/assets/index-abc123.js')
    expect(asset.statusCode).toBe(200)
    expect(asset.headers['cache-control']).toMatch(/immutable/)
    const icon = await server.inject('/console/favicon.svg')
    expect(icon.statusCode).toBe(200)
    expect(icon.headers['cache-control']).toBe('public, max-age=300')
    expect((await server.inject('/console/assets/index-gone.js')).statusCode).toBe(404)
  })

  it('never serves a file outside the app folder', async () => {
    for (const url of [
      '/console/../secret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await server.inject(url)
      expect(res.payload, url).not.toContain('not for you')
    }
  })

  it('says how to build it when the app is not built', async () => {
    const res = await missing.inject('/console/inbox')
    expect(res.statusCode).toBe(503)
    expect(JSON.parse(res.payload).message).toMatch(/not built: run npm run build/)
  })
})
