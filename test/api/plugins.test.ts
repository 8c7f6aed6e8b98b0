import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy, packPlugin } from '../support/built-plugin.js'
import { bearer, createTestApp, type TestApp } from '../support/test-app.js'

const fixture = join(import.meta.dirname, '../fixtures/plugins/test-echo')
const actor = systemActor('test')

describe('plugins: lifecycle, calls, webhooks and containment through the API', () => {
  let t: TestApp
  let admin: string
  let agent: string
  let built: Awaited<ReturnType<typeof builtPluginCopy>>
  const inject = (method: string, url: string, token: string | null, payload?: unknown, headers = {}) =>
    t.app.server.inject({
      method,
      url,
      payload: payload as never,
      headers: { ...(token ? bearer(token) : {}), ...headers },
    })

  beforeAll(async () => {
    built = await builtPluginCopy(fixture)
    t = await createTestApp({
      SWITCHBOARD_PLUGINS_FAILURE_THRESHOLD: '6',
      SWITCHBOARD_PLUGINS_CIRCUIT_COOLDOWN: '50ms',
    })
    await t.app.services.plugins.start()
    admin = (await t.tokenFor('admin')).token
    agent = (await t.tokenFor('agent')).token
  }, 120_000)
  afterAll(async () => {
    await t?.close()
    built?.remove()
  })

  it('installs from a .tgz; a plugin that needs configuration waits disabled until it has one', async () => {
    const tgz = packPlugin(built.dir)
    const res = await inject('POST', '/api/v1/plugins', admin, tgz, { 'content-type': 'application/gzip' })
    expect(res.statusCode, res.payload).toBe(201)
    expect(JSON.parse(res.payload)).toMatchObject({
      name: 'test-echo',
      version: '1.0.0',
      enabled: false,
      disabledReason: 'config-invalid',
    })
    const call = await inject('POST', '/api/v1/actions/test-echo.echo', agent, { input: { text: 'hi' } })
    expect(call.statusCode).toBe(404)
    expect(JSON.parse(call.payload).code).toBe('SB_ERR_PLUGIN_NOT_FOUND')

    const again = await inject('POST', '/api/v1/plugins', admin, tgz, { 'content-type': 'application/gzip' })
    expect(again.statusCode).toBe(409)
    const junk = await inject('POST', '/api/v1/plugins', admin, Buffer.from('not a tarball'), {
      'content-type': 'application/gzip',
    })
    expect(junk.statusCode).toBe(400)
    expect(JSON.parse(junk.payload)).toMatchObject({ code: 'SB_ERR_PLUGIN_MANIFEST_INVALID' })
  })

  it('refuses a configuration that breaks the schema, saves nothing, then enables with a good one', async () => {
    const bad = await inject('PUT', '/api/v1/plugins/test-echo/config', admin, { config: { prefix: '' } })
    expect(bad.statusCode).toBe(400)
    expect(JSON.parse(bad.payload)).toMatchObject({ code: 'SB_ERR_PLUGIN_CONFIG_INVALID' })
    expect(JSON.parse(bad.payload).details[0].path).toBe('config.prefix')
    const good = await inject('PUT', '/api/v1/plugins/test-echo/config', admin, {
      config: { prefix: '» ' },
      secrets: { token: 's3cret' },
    })
    expect(good.statusCode, good.payload).toBe(200)
    expect(JSON.parse(good.payload)).toMatchObject({ enabled: true, disabledReason: null })
    const detail = JSON.parse((await inject('GET', '/api/v1/plugins/test-echo', admin)).payload)
    expect(detail.secretsSet).toEqual(['token'])
    expect(JSON.stringify(detail)).not.toContain('s3cret')
    const row = await t.app.db.plugin.findUniqueOrThrow({ where: { id: 'test-echo' } })
    expect(row.secretsEnc).not.toContain('s3cret')
  })

  it('calls an action in the sandbox: input checked with defaults, output checked, kv, events and logs reach the host', async () => {
    const events: unknown[] = []
    await t.app.infra.bus.subscribe('plugin.test-echo.echoed', (e) => void events.push(e))
    const res = await inject('POST', '/api/v1/actions/test-echo.echo', agent, { input: { text: '你好' } })
    expect(res.statusCode, res.payload).toBe(200)
    expect(JSON.parse(res.payload).result).toMatchObject({ text: '» 你好' })
    const invalid = await inject('POST', '/api/v1/actions/test-echo.echo', agent, { input: { text: 1 } })
    expect(invalid.statusCode).toBe(400)
    expect(JSON.parse(invalid.payload).code).toBe('SB_ERR_PLUGIN_INVALID_INPUT')
    const kv = await t.app.db.pluginKv.findUniqueOrThrow({
      where: { pluginId_key: { pluginId: 'test-echo', key: 'last' } },
    })
    expect(kv.value).toBe('你好')
    await expect.poll(() => events.length).toBe(1)
    const logs = JSON.parse((await inject('GET', '/api/v1/plugins/test-echo/logs', admin)).payload)
    expect(logs[0]).toMatchObject({ level: 'info', message: 'echoed' })
  })

  it('delivers a bus event the plugin declared to it once, through the scheduler', async () => {
    await t.app.infra.bus.publish('test.ping', { n: 7 })
    await expect
      .poll(
        async () =>
          (await t.app.db.pluginKv.findUnique({ where: { pluginId_key: { pluginId: 'test-echo', key: 'pinged' } } }))
            ?.value,
        {
          timeout: 10_000,
        },
      )
      .toEqual({ n: 7 })
  })

  it('lists the capabilities with who implements them', async () => {
    const res = await inject('GET', '/api/v1/capabilities', admin)
    expect(res.statusCode).toBe(200)
    const list = JSON.parse(res.payload) as Array<{ name: string; alias: string; answeredBy: string | null }>
    expect(list.find((c) => c.name === 'erp-orders')).toMatchObject({ alias: 'erp', answeredBy: null })
  })

  it('caches an action that declares cacheSeconds', async () => {
    const a = await t.app.services.plugins.callAction('test-echo.cached', { key: 'k' })
    const b = await t.app.services.plugins.callAction('test-echo.cached', { key: 'k' })
    const c = await t.app.services.plugins.callAction('test-echo.cached', { key: 'other' })
    expect(a).toEqual({ calls: 1 })
    expect(b).toEqual({ calls: 1 })
    expect(c).toEqual({ calls: 2 })
  })

  it('serves the declared webhook publicly; the plugin checks its secret; inbound messages are handed on once', async () => {
    const received: unknown[] = []
    await t.app.infra.bus.subscribe('channel.message.received', (e) => void received.push(e))
    const hello = await inject('GET', '/hooks/test-echo/inbox?name=wx', null)
    expect(hello.statusCode).toBe(200)
    expect(hello.payload).toBe('hello wx')
    const body = JSON.stringify({ id: 'm-1', from: 'u-9', text: '在吗' })
    const denied = await inject('POST', '/hooks/test-echo/inbox?token=nope', null, body, {
      'content-type': 'application/json',
    })
    expect(denied.statusCode).toBe(403)
    const first = await inject('POST', '/hooks/test-echo/inbox?token=s3cret', null, body, {
      'content-type': 'application/json',
    })
    const retry = await inject('POST', '/hooks/test-echo/inbox?token=s3cret', null, body, {
      'content-type': 'text/plain',
    })
    expect(JSON.parse(first.payload)).toEqual({ duplicate: false })
    expect(JSON.parse(retry.payload)).toEqual({ duplicate: true })
    await expect.poll(() => received.length).toBe(1)
    expect(received[0]).toMatchObject({ plugin: 'test-echo', channel: 'test-chat', message: { text: '在吗' } })
    expect((await inject('GET', '/hooks/test-echo/undeclared', null)).statusCode).toBe(404)
  })

  it("a webhook never hands the plugin a user's session, and its answer cannot set cookies or serve HTML", async () => {
    const seen = await inject('GET', '/hooks/test-echo/inbox?show=headers', admin, undefined, {
      cookie: 'sb_session=secret-session',
      'x-wechat-signature': 'abc',
    })
    const headers = JSON.parse(seen.payload) as Record<string, string>
    expect(headers['x-wechat-signature']).toBe('abc')
    expect(headers.cookie).toBeUndefined()
    expect(headers.authorization).toBeUndefined()
    expect(seen.headers['content-type']).toMatch(/^application\/json/)
    const evil = await inject('GET', '/hooks/test-echo/inbox?evil=1', null)
    expect(evil.headers['set-cookie']).toBeUndefined()
    expect(evil.headers.location).toBeUndefined()
    expect(evil.headers['content-type']).toMatch(/^text\/plain/)
    expect(evil.headers['content-security-policy']).toContain('sandbox')
    expect((await inject('GET', '/hooks/nobody/inbox', null)).statusCode).toBe(404)
  })

  it("adds the plugin's node and action nodes to the registry, and a flow runs them", async () => {
    expect(t.app.services.nodeTypes.get('test-echo.shout')).toBeDefined()
    expect(t.app.services.nodeTypes.get('test-echo.echo')?.configSchema).toMatchObject({
      properties: { input: { properties: { text: { type: 'string' } } } },
    })
    const result = await t.app.services.plugins.runNode('test-echo', 'shout', {
      config: { suffix: '!!' },
      vars: { said: 'hey' },
      channel: 'text',
    })
    expect(result).toEqual({ port: 'loud', vars: { shouted: 'HEY!!' }, messages: [{ text: 'HEY' }] })
  })

  it('contains a plugin that loops forever while the server keeps answering, and one that hogs memory', async () => {
    const started = Date.now()
    const spinning = inject('POST', '/api/v1/actions/test-echo.spin', agent, { input: {} })
    const healthTimes: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now()
      const health = await inject('GET', '/health', null)
      healthTimes.push(Date.now() - t0)
      expect(health.statusCode).toBe(200)
    }
    const res = await spinning
    expect(JSON.parse(res.payload).code).toBe('SB_ERR_PLUGIN_TIMEOUT')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(Math.max(...healthTimes)).toBeLessThan(1000)
    const hog = await inject('POST', '/api/v1/actions/test-echo.hog', agent, { input: {} })
    expect(JSON.parse(hog.payload).code).toMatch(/SB_ERR_PLUGIN_(MEMORY_LIMIT|TIMEOUT)/)
    // and it still works afterwards, in a fresh isolate
    const ok = await inject('POST', '/api/v1/actions/test-echo.echo', agent, { input: { text: 'back' } })
    expect(JSON.parse(ok.payload).result.text).toBe('» back')
  })

  it("a plugin's coded error is passed on; output that breaks the schema is refused and counted", async () => {
    const boom = await inject('POST', '/api/v1/actions/test-echo.boom', agent, { input: {} })
    expect(JSON.parse(boom.payload).code).toBe('SB_ERR_TEST_BOOM')
    const wrong = await inject('POST', '/api/v1/actions/test-echo.wrongShape', agent, { input: {} })
    expect(JSON.parse(wrong.payload).code).toBe('SB_ERR_PLUGIN_INVALID_OUTPUT')
    const status = JSON.parse((await inject('GET', '/api/v1/plugins/test-echo', admin)).payload)
    expect(status.failures).toBeGreaterThanOrEqual(3)
  })

  it('upgrades in place keeping configuration, secrets and data, and records it', async () => {
    const next = await builtPluginCopy(fixture, { version: '1.1.0' })
    try {
      await t.app.services.plugins.setEnabled('test-echo', true, actor)
      const status = await t.app.services.plugins.install({ dir: next.dir }, { upgrade: true, actor })
      expect(status).toMatchObject({ version: '1.1.0', enabled: true })
      const detail = await t.app.services.plugins.get('test-echo')
      expect(detail).toMatchObject({ previousVersion: '1.0.0', config: { prefix: '» ' }, secretsSet: ['token'] })
      const audit = await t.app.db.auditEvent.findMany({
        where: { targetId: 'test-echo' },
        orderBy: { at: 'asc' },
      })
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['plugin.installed', 'plugin.configured', 'plugin.upgraded']),
      )
    } finally {
      next.remove()
    }
  })

  it('the circuit breaker disables a plugin that keeps failing, until an admin enables it', async () => {
    // six failures within a minute open the circuit; each trial after the 50 ms cool-down fails
    // again; the third opening in a row disables the plugin for every instance
    for (let i = 0; i < 6; i++) await inject('POST', '/api/v1/actions/test-echo.wrongShape', agent, { input: {} })
    const refused = await inject('POST', '/api/v1/actions/test-echo.echo', agent, { input: { text: 'x' } })
    expect(JSON.parse(refused.payload)).toMatchObject({ code: 'SB_ERR_PLUGIN_DISABLED' })
    expect(refused.statusCode).toBe(503)
    for (let i = 0; i < 40; i++) {
      const row = await t.app.db.plugin.findUniqueOrThrow({ where: { id: 'test-echo' } })
      if (!row.enabled) break
      await new Promise((resolve) => setTimeout(resolve, 60))
      await inject('POST', '/api/v1/actions/test-echo.wrongShape', agent, { input: {} })
    }
    const list = JSON.parse((await inject('GET', '/api/v1/plugins', admin)).payload)
    expect(list[0]).toMatchObject({ name: 'test-echo', enabled: false, disabledReason: 'circuit-open' })
    const enabled = await inject('POST', '/api/v1/plugins/test-echo/enable', admin)
    expect(JSON.parse(enabled.payload)).toMatchObject({ enabled: true, circuit: 'closed' })
    const ok = await inject('POST', '/api/v1/actions/test-echo.echo', agent, { input: { text: 'ok' } })
    expect(ok.statusCode).toBe(200)
  })

  it('disables and uninstalls, with its stored data', async () => {
    const disabled = await inject('POST', '/api/v1/plugins/test-echo/disable', admin)
    expect(JSON.parse(disabled.payload)).toMatchObject({ enabled: false, disabledReason: 'admin' })
    // its node types stay, so flows using them still load; calls fail to their error port
    expect(t.app.services.nodeTypes.get('test-echo.echo')).toBeDefined()
    await expect(t.app.services.plugins.callAction('test-echo.echo', { text: 'x' })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_NOT_FOUND',
    })
    expect((await inject('GET', '/hooks/test-echo/inbox', null)).statusCode).toBe(404)
    expect((await inject('DELETE', '/api/v1/plugins/test-echo', agent)).statusCode).toBe(403)
    expect((await inject('DELETE', '/api/v1/plugins/test-echo', admin)).statusCode).toBe(204)
    expect(await t.app.db.pluginKv.count({ where: { pluginId: 'test-echo' } })).toBe(0)
    expect((await inject('GET', '/api/v1/plugins/test-echo', admin)).statusCode).toBe(404)
  })
})
