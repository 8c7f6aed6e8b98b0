import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startProbeServer } from './__tests__/responsiveness-probe.js'
import { fixture, recordingCapabilities, startServer, testLimits } from './__tests__/sandbox-test-support.js'
import {
  createPluginSandbox,
  isPluginFault,
  type PluginSandbox,
  type SandboxLimits,
  type SandboxResult,
} from './index.js'

/**
 * Plugins that attack their host. For each attack: the right error code, the next normal call on
 * the same sandbox works (the isolate is made again when it had to be thrown away), and the host
 * process keeps answering other requests while the attack runs.
 */

const code = fixture('hostile-plugin.js')
/**
 * How fast the probe server must answer while a plugin attacks: 95 % of requests within 50 ms,
 * none slower than 200 ms. The two bounds differ because this machine is shared (2 cores, other
 * suites running): the OS may hold the test process off a core for a few tens of ms now and
 * then. An event loop blocked by the attack would instead show requests as slow as the attack
 * itself (300 ms and more for every CPU attack here), or no requests answered during it at all.
 */
const RESPONSIVE_P95_MS = 50
const RESPONSIVE_MAX_MS = 200
let probe: Awaited<ReturnType<typeof startProbeServer>>
let declared: Awaited<ReturnType<typeof startServer>>
let undeclared: Awaited<ReturnType<typeof startServer>>
const open: PluginSandbox[] = []

async function sandboxFor(limits: Partial<SandboxLimits> = {}) {
  const recorded = recordingCapabilities()
  const sandbox = await createPluginSandbox({
    name: 'hostile',
    version: '6.6.6',
    code,
    hosts: [declared.host],
    limits: { ...testLimits, ...limits },
    capabilities: recorded.capabilities,
  })
  open.push(sandbox)
  return { sandbox, recorded }
}

function call(sandbox: PluginSandbox, name: string, input: unknown = {}) {
  return sandbox.invoke({ call: { kind: 'action', name, input }, config: {}, secrets: {} })
}

/** Runs the attack while probing the host, then checks the sandbox still serves a normal call. */
async function attack(sandbox: PluginSandbox, name: string, input: unknown = {}) {
  const { results, latencies } = await probe.duringAttack(() => call(sandbox, name, input))
  expect(latencies.length).toBeGreaterThanOrEqual(20)
  const sorted = [...latencies].sort((a, b) => a - b)
  if (process.env.SANDBOX_PROBE_REPORT)
    process.stdout.write(
      `${name}: ${results.length} attack(s), ${sorted.length} requests, p50 ${sorted[sorted.length >> 1]!.toFixed(1)} ms, ` +
        `p95 ${sorted[Math.floor(sorted.length * 0.95) - 1]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms\n`,
    )
  expect(sorted[Math.floor(sorted.length * 0.95) - 1]).toBeLessThan(RESPONSIVE_P95_MS)
  expect(sorted.at(-1)).toBeLessThan(RESPONSIVE_MAX_MS)
  expect(await call(sandbox, 'ping')).toEqual({ ok: true, value: 'pong' })
  for (const result of results.slice(1)) expect(result).toEqual(results[0])
  return results[0]!
}

function failure(result: SandboxResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`)
  return result.error
}

beforeAll(async () => {
  probe = await startProbeServer()
  undeclared = await startServer((_request, response) => response.end('you should never see this'))
  declared = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x')
    if (url.pathname === '/redirect-away') {
      response.writeHead(302, { location: `${undeclared.origin}/stolen` })
      response.end()
    } else if (url.pathname === '/redirect-home') {
      response.writeHead(307, { location: '/small' })
      response.end()
    } else if (url.pathname === '/redirect-loop') {
      response.writeHead(302, { location: '/redirect-loop' })
      response.end()
    } else if (url.pathname === '/big') {
      response.setHeader('content-length', String(1024 * 1024))
      response.end('y'.repeat(1024 * 1024))
    } else if (url.pathname === '/big-chunked') {
      // no content-length: the limit must hold while reading
      let sent = 0
      const push = () => {
        while (sent < 1024 * 1024) {
          sent += 16 * 1024
          if (!response.write('z'.repeat(16 * 1024))) return response.once('drain', push)
        }
        response.end()
      }
      push()
    } else if (url.pathname === '/never') {
      // headers never come
    } else response.end('small')
  })
})

afterEach(async () => {
  for (const sandbox of open.splice(0)) await sandbox.dispose()
})

afterAll(async () => {
  await probe?.close()
  await declared?.close()
  await undeclared?.close()
})

describe('a plugin that throws', () => {
  it('fails with SB_ERR_PLUGIN_THREW and the plugin message', async () => {
    const { sandbox } = await sandboxFor()
    const error = failure(await attack(sandbox, 'throws'))
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_THREW', retryable: false, details: { name: 'Error' } })
    expect(error.message).toContain('boom')
    expect(isPluginFault(error)).toBe(true)
    expect(failure(await call(sandbox, 'throwsString')).message).toContain('a bare string')
  })

  it('cannot pass off a host error code it was never handed', async () => {
    const { sandbox } = await sandboxFor()
    expect(failure(await attack(sandbox, 'forgesHostCode'))).toMatchObject({
      code: 'SB_ERR_PLUGIN_THREW',
      details: { thrownCode: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED' },
    })
  })
})

describe('a plugin that loops forever', () => {
  it('is stopped by the CPU limit when it loops synchronously', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 300 })
    const error = failure(await attack(sandbox, 'loopSync'))
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_TIMEOUT', retryable: true, details: { limit: 'cpuMs' } })
    expect(isPluginFault(error)).toBe(true)
    expect(sandbox.stats().restarts).toBeGreaterThanOrEqual(1)
  })

  it('is made again once for all the calls that arrive after it was stopped', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 200 })
    expect(failure(await call(sandbox, 'loopSync')).code).toBe('SB_ERR_PLUGIN_TIMEOUT')
    const pings = await Promise.all(Array.from({ length: 20 }, () => call(sandbox, 'ping')))
    expect(pings.every((r) => r.ok && r.value === 'pong')).toBe(true)
    expect(sandbox.stats()).toMatchObject({ restarts: 1, calls: 21, failures: 1, inFlight: 0 })
  })

  it('is stopped when it loops after an await, where no per-run timeout reaches', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 300, timeoutMs: 20_000 })
    const started = Date.now()
    expect(failure(await call(sandbox, 'loopAfterAwait'))).toMatchObject({
      code: 'SB_ERR_PLUGIN_TIMEOUT',
      details: { limit: 'cpuMs' },
    })
    // the CPU watchdog stopped it, long before the wall clock would have
    expect(Date.now() - started).toBeLessThan(3000)
    expect(failure(await attack(sandbox, 'loopAfterHostCall'))).toMatchObject({
      code: 'SB_ERR_PLUGIN_TIMEOUT',
      details: { limit: 'cpuMs' },
    })
  })

  it('is stopped when it leaves a loop running after it answered', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 200 })
    expect(await call(sandbox, 'leavesLoopBehind')).toEqual({ ok: true, value: 'answered' })
    // no further call is needed: the watchdog stops the isolate once the loop used the CPU limit
    let cpu = -1
    for (let i = 0; i < 100 && sandbox.stats().cpuTimeMs !== cpu; i++) {
      cpu = sandbox.stats().cpuTimeMs
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(sandbox.stats().cpuTimeMs).toBe(cpu)
    expect(cpu).toBeLessThan(2000)
    expect(await call(sandbox, 'ping')).toEqual({ ok: true, value: 'pong' })
    expect(sandbox.stats().restarts).toBe(1)
  })

  it('is stopped by the wall clock when it never finishes', async () => {
    const { sandbox } = await sandboxFor({ timeoutMs: 300 })
    expect(failure(await attack(sandbox, 'hangs'))).toMatchObject({
      code: 'SB_ERR_PLUGIN_TIMEOUT',
      details: { limit: 'timeoutMs', timeoutMs: 300 },
    })
  })

  it('is stopped when it blocks its thread in Atomics.wait', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 300 })
    expect(failure(await attack(sandbox, 'atomicsWait'))).toMatchObject({ code: 'SB_ERR_PLUGIN_TIMEOUT' })
  })

  it('takes down the calls sharing its isolate, which are reported as collateral and not held against it', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 300, timeoutMs: 10_000 })
    const bystanders = Array.from({ length: 3 }, () => call(sandbox, 'hangs'))
    const culprit = failure(await call(sandbox, 'loopAfterAwait'))
    expect(culprit).toMatchObject({ code: 'SB_ERR_PLUGIN_TIMEOUT', details: { limit: 'cpuMs' } })
    for (const result of await Promise.all(bystanders)) {
      const error = failure(result)
      expect(error).toMatchObject({ retryable: true, details: { reason: 'isolate-restarted' } })
      expect(isPluginFault(error)).toBe(false)
    }
    expect(await call(sandbox, 'ping')).toEqual({ ok: true, value: 'pong' })
  })
})

describe('a plugin that allocates without bound', () => {
  it('is stopped at its memory limit', async () => {
    // a generous CPU limit, so that the memory limit is what stops it (V8 works hard near its limit)
    const { sandbox } = await sandboxFor({ memoryMb: 32, cpuMs: 5000, timeoutMs: 10_000 })
    const error = failure(await attack(sandbox, 'allocate'))
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_MEMORY_LIMIT', details: { memoryMb: 32 } })
    expect(isPluginFault(error)).toBe(true)
    expect(failure(await call(sandbox, 'allocateAfterAwait'))).toMatchObject({ code: 'SB_ERR_PLUGIN_MEMORY_LIMIT' })
    expect(await call(sandbox, 'ping')).toEqual({ ok: true, value: 'pong' })
    expect(sandbox.stats().restarts).toBeGreaterThanOrEqual(2)
  })

  it('cannot use WebAssembly memory, which lies outside the limit', async () => {
    const { sandbox } = await sandboxFor()
    expect(await call(sandbox, 'wasm')).toEqual({ ok: true, value: 'undefined' })
  })
})

describe('a plugin that reaches for Node', () => {
  it('finds no Node globals', async () => {
    const { sandbox } = await sandboxFor()
    const globals = await call(sandbox, 'nodeGlobals')
    expect(globals).toEqual({
      ok: true,
      value: {
        process: 'undefined',
        require: 'undefined',
        Buffer: 'undefined',
        module: 'undefined',
        global: 'undefined',
        setTimeout: 'undefined',
        setImmediate: 'undefined',
        fetch: 'undefined',
        URL: 'undefined',
        TextEncoder: 'undefined',
        WebAssembly: 'undefined',
      },
    })
    expect(await call(sandbox, 'unusualGlobals')).toEqual({ ok: true, value: [] })
  })

  it('fails when it touches process, require, or a Function constructor from the global', async () => {
    const { sandbox } = await sandboxFor()
    for (const name of ['touchProcess', 'touchRequire', 'escapeThroughGlobal']) {
      const error = failure(await attack(sandbox, name))
      expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_THREW', details: { name: 'ReferenceError' } })
    }
  })

  it('reaches no host object or host code through the ctx functions or the values it was given', async () => {
    const { sandbox } = await sandboxFor()
    const result = await attack(sandbox, 'escapeAttempts', { url: `${declared.origin}/small` })
    const attempts = (result as { ok: true; value: Array<Record<string, unknown>> }).value
    expect(attempts).toHaveLength(17)
    for (const a of attempts) {
      // either it failed, or it found this isolate's own Function, whose world has no Node in it
      if ('threw' in a) continue
      expect(a, String(a.label)).toEqual({
        label: a.label,
        sameRealm: true,
        globals: 'undefined/undefined/undefined/undefined/undefined',
      })
    }
  })
})

describe('a plugin that pollutes prototypes', () => {
  it('keeps the host free of its pollution and drops prototype keys from its results', async () => {
    const { sandbox } = await sandboxFor()
    const parsed = await attack(sandbox, 'pollute')
    expect(parsed).toEqual({ ok: true, value: { nested: { keep: 2 }, ok: 1 } })
    const value = (parsed as { value: Record<string, unknown> }).value
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['nested', 'ok'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()

    const literal = await call(sandbox, 'polluteLiteral')
    expect(literal).toEqual({ ok: true, value: { list: [{}], ok: 2 } })
    expect(Object.assign({}, (literal as { value: object }).value)).toEqual({ list: [{}], ok: 2 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    // the pollution stays inside the plugin's own isolate
    expect(await call(sandbox, 'isPolluted')).toEqual({ ok: true, value: { object: true, array: true } })
  })

  it('cannot fool the sandbox code in its isolate by replacing built-ins', async () => {
    const { sandbox } = await sandboxFor()
    expect(await call(sandbox, 'stompBuiltins')).toEqual({ ok: true, value: 'hostile' })
    expect(await call(sandbox, 'ping')).toEqual({ ok: true, value: 'pong' })
    expect(await call(sandbox, 'returnsDeep', { depth: 2 })).toEqual({ ok: true, value: { inner: { inner: {} } } })
    expect(failure(await call(sandbox, 'throws')).message).toContain('boom')
    expect(await call(sandbox, 'fetchUrl', { url: `${declared.origin}/small` })).toEqual({
      ok: true,
      value: { status: 200, body: 'small' },
    })
  })
})

describe('a plugin that fetches where it should not', () => {
  it('never reaches a host it did not declare', async () => {
    const { sandbox } = await sandboxFor()
    const error = failure(await attack(sandbox, 'fetchUrl', { url: `${undeclared.origin}/stolen` }))
    expect(error).toMatchObject({
      code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED',
      retryable: false,
      details: { host: undeclared.host, redirect: false },
    })
    expect(isPluginFault(error)).toBe(false)
    for (const url of ['file:///etc/passwd', `http://localhost:${new URL(declared.origin).port}/`, 'ftp://127.0.0.1/'])
      expect(failure(await call(sandbox, 'fetchUrl', { url })).code).toBe('SB_ERR_PLUGIN_HOST_NOT_ALLOWED')
    expect(undeclared.requests()).toBe(0)
  })

  it('is not led to an undeclared host by a redirect', async () => {
    const { sandbox } = await sandboxFor()
    const error = failure(await attack(sandbox, 'fetchUrl', { url: `${declared.origin}/redirect-away` }))
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED', details: { redirect: true } })
    expect(undeclared.requests()).toBe(0)
    // redirects within the declared host are followed, a loop is cut short
    expect(await call(sandbox, 'fetchUrl', { url: `${declared.origin}/redirect-home` })).toEqual({
      ok: true,
      value: { status: 200, body: 'small' },
    })
    expect(failure(await call(sandbox, 'fetchUrl', { url: `${declared.origin}/redirect-loop` }))).toMatchObject({
      code: 'SB_ERR_PLUGIN_FETCH_FAILED',
      details: { reason: 'too-many-redirects' },
    })
  })

  it('gets no response larger than the limit, declared or streamed', async () => {
    const { sandbox } = await sandboxFor({ maxResponseBytes: 64 * 1024 })
    const error = failure(await attack(sandbox, 'fetchUrl', { url: `${declared.origin}/big` }))
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_FETCH_FAILED', details: { reason: 'too-large' } })
    expect(failure(await call(sandbox, 'streamUrl', { url: `${declared.origin}/big-chunked` }))).toMatchObject({
      code: 'SB_ERR_PLUGIN_FETCH_FAILED',
      details: { reason: 'too-large', limit: 64 * 1024 },
    })
  })

  it('gives up on an upstream that does not answer', async () => {
    const { sandbox } = await sandboxFor({ fetchTimeoutMs: 200 })
    expect(failure(await call(sandbox, 'fetchUrl', { url: `${declared.origin}/never` }))).toMatchObject({
      code: 'SB_ERR_PLUGIN_FETCH_FAILED',
      retryable: true,
      details: { reason: 'timeout' },
    })
  })
})

describe('a plugin that returns too much or the wrong thing', () => {
  it('cannot return a huge string', async () => {
    const { sandbox } = await sandboxFor({ maxResultBytes: 256 * 1024 })
    const error = failure(await attack(sandbox, 'hugeString', { size: 8 * 1024 * 1024 }))
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_INVALID_OUTPUT', details: { reason: 'too-large' } })
    expect(isPluginFault(error)).toBe(true)
    expect(failure(await call(sandbox, 'manySmallStrings', { count: 100_000 }))).toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
      details: { reason: 'too-large' },
    })
    // larger than the whole heap: V8 builds it as a rope, and the size check stops it before it is flattened
    expect(failure(await call(sandbox, 'hugeString', { size: 200 * 1024 * 1024 }))).toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
      details: { reason: 'too-large' },
    })
    expect(await call(sandbox, 'ping')).toEqual({ ok: true, value: 'pong' })
  })

  it('cannot return values that are not JSON', async () => {
    const { sandbox } = await sandboxFor()
    for (const name of ['returnsFunction', 'returnsSymbol', 'returnsBigInt', 'returnsCycle'])
      expect(failure(await call(sandbox, name)), name).toMatchObject({
        code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
        details: { reason: 'not-json' },
      })
    expect(failure(await call(sandbox, 'returnsDeep', { depth: 100 }))).toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
      details: { reason: 'too-deep' },
    })
    expect(await call(sandbox, 'returnsDeep', { depth: 10 })).toMatchObject({ ok: true })
  })
})

describe('a plugin that floods the host', () => {
  it('has its log lines capped per call', async () => {
    const { sandbox, recorded } = await sandboxFor({ cpuMs: 2000 })
    const { results } = await probe.duringAttack(() => call(sandbox, 'floodLogs'))
    for (const result of results) expect(result).toEqual({ ok: true, value: 'flooded' })
    // a million lines asked for in each call, a thousand delivered
    expect(recorded.logs).toHaveLength(1000 * results.length)
  })

  it('has its concurrent ctx calls capped', async () => {
    const { sandbox } = await sandboxFor({ cpuMs: 2000 })
    const result = await attack(sandbox, 'floodHostCalls')
    expect(result.ok).toBe(true)
    expect((result as { value: { refused: number } }).value.refused).toBeGreaterThan(19_000)
  })

  it('cannot use ctx after its call ended', async () => {
    const { sandbox } = await sandboxFor()
    expect(await call(sandbox, 'keepCtx')).toEqual({ ok: true, value: 'kept' })
    expect(failure(await call(sandbox, 'useStaleCtx')).message).toContain('after its call ended')
  })
})
