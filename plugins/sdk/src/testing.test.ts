import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { definePlugin, type PluginDefinition } from './definition.js'
import { defineHandlers } from './handlers.js'
import { createTestHarness } from './testing.js'

const text = (en: string) => ({ en, 'zh-CN': en })
const action = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({
  title: text('An action'),
  description: text('An action'),
  input,
  output,
})

function pluginWith(
  actions: Record<string, { input: z.ZodType; output: z.ZodType }>,
  permissions: PluginDefinition['permissions'] = {},
) {
  return definePlugin({
    name: 'harness-test',
    version: '1.0.0',
    requires: { core: '>=0.1.0' },
    kinds: ['integration'],
    title: text('Harness test'),
    description: text('Harness test'),
    icon: 'icon.svg',
    readme: 'README.md',
    config: z.object({}),
    secrets: z.object({}),
    permissions,
    actions: Object.fromEntries(Object.entries(actions).map(([name, a]) => [name, action(a.input, a.output)])),
  })
}

/** a harness whose one action `run` gets `input` and returns what `respond` makes of it */
function harnessFor(input: z.ZodType, output: z.ZodType, respond: (input: unknown) => unknown, seen: unknown[] = []) {
  const definition = pluginWith({ run: { input, output } })
  return createTestHarness({
    definition,
    handlers: {
      actions: {
        run: async (value: unknown) => {
          seen.push(structuredClone(value))
          return respond(value)
        },
      },
    } as never,
  })
}

describe('action outputs, checked as the host checks them', () => {
  it('removes properties where the output schema is closed, keeps them where it is open', async () => {
    const output = z.object({
      order: z.object({ number: z.string() }).nullable(),
      loose: z.looseObject({ a: z.number() }),
      strict: z.strictObject({ b: z.number() }),
      list: z.array(z.object({ c: z.number() })),
    })
    const harness = harnessFor(z.object({}), output, () => ({
      order: { number: '1', internal: 'x' },
      loose: { a: 1, kept: true },
      strict: { b: 2, extra: 'removed, not refused' },
      list: [{ c: 3, d: 4 }],
      secret: 'dropped',
    }))
    expect(await harness.callAction('run', {})).toEqual({
      order: { number: '1' },
      loose: { a: 1, kept: true },
      strict: { b: 2 },
      list: [{ c: 3 }],
    })
  })

  it('returns the handler’s values, not zod’s transforms of them', async () => {
    const harness = harnessFor(
      z.object({}),
      z.object({ name: z.string().transform((s) => s.toUpperCase()), at: z.string() }),
      () => ({ name: 'acme', at: '2026-01-01' }),
    )
    expect(await harness.callAction('run', {})).toEqual({ name: 'acme', at: '2026-01-01' })
  })

  it('fills no output default: a field the handler left out is missing, as the host says', async () => {
    const harness = harnessFor(
      z.object({}),
      z.object({ count: z.number().default(0), tags: z.array(z.string()) }),
      () => ({
        tags: [],
      }),
    )
    await expect(harness.callAction('run', {})).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
      message: expect.stringMatching(/count: required/),
    })
  })

  it('still refuses an output of the wrong type', async () => {
    const harness = harnessFor(z.object({}), z.object({ n: z.number() }).nullable(), () => ({ n: 'one' }))
    await expect(harness.callAction('run', {})).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_INVALID_OUTPUT' })
    const none = harnessFor(z.object({}), z.object({ n: z.number() }).nullable(), () => null)
    expect(await none.callAction('run', {})).toBeNull()
  })
})

describe('action inputs, checked as the host checks them', () => {
  it('applies the schema’s defaults and hands the input on as given, without zod’s transforms', async () => {
    const seen: unknown[] = []
    const harness = harnessFor(
      z.object({ city: z.string().trim().min(1), limit: z.number().default(3), note: z.string().optional() }),
      z.object({}),
      () => ({}),
      seen,
    )
    await harness.callAction('run', { city: ' 上海 ', extra: true })
    expect(seen).toEqual([{ city: ' 上海 ', limit: 3, extra: true }])
  })

  it('does not apply defaults inside a union (Ajv does not)', async () => {
    const seen: unknown[] = []
    const harness = harnessFor(
      z.object({ options: z.object({ n: z.number().default(1) }).nullable() }),
      z.object({}),
      () => ({}),
      seen,
    )
    await harness.callAction('run', { options: {} })
    expect(seen).toEqual([{ options: {} }])
  })

  it('refuses an input that breaks the schema', async () => {
    const harness = harnessFor(z.object({ n: z.number() }), z.object({}), () => ({}))
    await expect(harness.callAction('run', { n: 'x' })).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_INVALID_INPUT' })
  })
})

describe('ctx.kv within the host’s limits', () => {
  const harness = (storageKb?: number) =>
    createTestHarness({ definition: pluginWith({}, storageKb === undefined ? {} : { storageKb }), handlers: {} })

  it('refuses a write past permissions.storageKb, counting what is stored and live', async () => {
    const { ctx, advanceTime } = harness(1)
    await ctx.kv.set('one', 'x'.repeat(600))
    await expect(ctx.kv.set('two', 'x'.repeat(600))).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
    // replacing a value counts its new size only
    await ctx.kv.set('one', 'y'.repeat(900))
    await ctx.kv.set('one', 'short', { ttlSeconds: 10 })
    await ctx.kv.set('two', 'x'.repeat(600))
    await expect(ctx.kv.set('three', 'x'.repeat(600))).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_STORAGE_QUOTA',
    })
    advanceTime(11_000)
    await expect(ctx.kv.set('three', 'x'.repeat(300))).resolves.toBeUndefined()
    expect(await ctx.kv.list()).toEqual(['three', 'two'])
  })

  it('refuses a value over 256 KB whatever the quota, and writes without a declared store', async () => {
    await expect(harness(10_240).ctx.kv.set('big', 'x'.repeat(256 * 1024))).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_STORAGE_QUOTA',
      message: expect.stringMatching(/256 KB/),
    })
    await expect(harness().ctx.kv.set('a', 1)).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
  })

  it('stores JSON copies and checks keys', async () => {
    const { ctx } = harness(4)
    await ctx.kv.set('nothing', undefined)
    expect(await ctx.kv.get('nothing')).toBeNull()
    await ctx.kv.set('when', { at: new Date('2026-01-01T00:00:00Z') })
    expect(await ctx.kv.get('when')).toEqual({ at: '2026-01-01T00:00:00.000Z' })
    await expect(ctx.kv.set('k'.repeat(201), 1)).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' })
  })
})

describe('ctx.cache within the host’s limits', () => {
  it('refuses values over 32 KB and a time to live outside 1 s … 24 h; expires values', async () => {
    const { ctx, advanceTime } = createTestHarness({ definition: pluginWith({}), handlers: {} })
    await expect(ctx.cache.set('big', 'x'.repeat(33 * 1024), 60)).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_STORAGE_QUOTA',
    })
    for (const ttl of [0.5, 86_401])
      await expect(ctx.cache.set('k', 1, ttl)).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_STORAGE_QUOTA' })
    await ctx.cache.set('k', { v: 1 }, 60)
    expect(await ctx.cache.get('k')).toEqual({ v: 1 })
    advanceTime(61_000)
    expect(await ctx.cache.get('k')).toBeUndefined()
  })
})

describe('ctx.fetch follows redirects as the host does', () => {
  let server: Server
  let port: number
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x')
      const redirect = (status: number, location: string) => {
        response.writeHead(status, { location })
        response.end()
      }
      if (url.pathname === '/start') return redirect(302, '/hop')
      if (url.pathname === '/hop') return redirect(307, '/end')
      if (url.pathname === '/loop') return redirect(302, `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}`)
      if (url.pathname === '/away') return redirect(302, `http://localhost:${port}/end`)
      if (url.pathname === '/outside') return redirect(301, 'http://example.invalid/end')
      if (url.pathname === '/see-other') return redirect(303, '/end')
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          path: url.pathname,
          method: request.method,
          authorization: request.headers.authorization ?? null,
        }),
      )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const harness = (hosts: string[]) => {
    const definition = definePlugin({
      ...pluginWith({}, { hosts }),
      actions: {
        get: action(z.object({ url: z.string(), method: z.enum(['GET', 'POST']).optional() }), z.looseObject({})),
      },
    })
    const handlers = defineHandlers<typeof definition>({
      actions: {
        get: async ({ url, method }, ctx) => {
          const init = { method, headers: { Authorization: 'Bearer t' }, body: method ? '{}' : undefined }
          const response = await ctx.fetch(url, init)
          return { status: response.status, ...((await response.json()) as Record<string, unknown>) }
        },
      },
    })
    return createTestHarness({ definition, handlers })
  }

  it('follows up to 3 redirects', async () => {
    const plugin = harness([`127.0.0.1:${port}`])
    expect(await plugin.callAction('get', { url: `http://127.0.0.1:${port}/start` })).toEqual({
      status: 200,
      path: '/end',
      method: 'GET',
      authorization: 'Bearer t',
    })
    await expect(plugin.callAction('get', { url: `http://127.0.0.1:${port}/loop` })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_FETCH_FAILED',
      details: { reason: 'too-many-redirects' },
    })
  })

  it('checks every hop against permissions.hosts', async () => {
    const plugin = harness([`127.0.0.1:${port}`])
    await expect(plugin.callAction('get', { url: `http://127.0.0.1:${port}/outside` })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      message: expect.stringMatching(/reached by a redirect/),
    })
    await expect(plugin.callAction('get', { url: `http://127.0.0.1:${port}/away` })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
    })
  })

  it('drops credentials on a redirect to another origin, and turns a POST into a GET on 303', async () => {
    const plugin = harness([`127.0.0.1:${port}`, `localhost:${port}`])
    expect(await plugin.callAction('get', { url: `http://127.0.0.1:${port}/away` })).toMatchObject({
      path: '/end',
      authorization: null,
    })
    expect(await plugin.callAction('get', { url: `http://127.0.0.1:${port}/see-other`, method: 'POST' })).toMatchObject(
      { path: '/end', method: 'GET' },
    )
  })
})
