// What a call into a sandboxed plugin costs: isolated-vm through core's plugin sandbox, built
// (`npm run build`; this imports core/dist). A small bundle like `switchboard plugin build`
// writes, with three actions: `greet` (pure computation on its input and config), `lookup` (one
// ctx.kv.get round trip to the host) and `spin` (a fixed amount of work in the isolate).
//
// Measured, one process, nothing else running in it:
//   cold start   createPluginSandbox → first answer (new isolate, bootstrap, bundle compiled and run)
//   warm         the same sandbox, calls one after the other: latency per call and calls/s
//   concurrent   BENCH_CONCURRENCY calls in flight at all times on that one sandbox
//   floor        isolated-vm alone: one Reference.apply round trip into an async function that
//                parses and answers JSON text, without the sandbox around it
// BENCH_CALLS (20000) per row, BENCH_CONCURRENCY (50), BENCH_COLD (30) cold starts.
//
// isolated-vm needs --no-node-snapshot on Node ≥ 20: `npm run bench` starts bench files without
// it, so this file starts itself again with it.
import { spawnSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

if (!process.execArgv.includes('--no-node-snapshot')) {
  const result = spawnSync(process.execPath, ['--no-node-snapshot', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
  })
  process.exit(result.status ?? 1)
}

const { createPluginSandbox, loadIsolatedVm, sandboxEngineInfo } =
  await import('../../core/dist/plugins/sandbox/index.js')

const calls = Number(process.env.BENCH_CALLS ?? 20_000)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50)
const coldRuns = Number(process.env.BENCH_COLD ?? 30)

const code = `var __switchboardPlugin = (() => {
  const handlers = {
    actions: {
      async greet({ name }, ctx) {
        return { text: ctx.config.greeting + ', ' + name + '!', length: name.length }
      },
      async lookup({ key }, ctx) {
        return { key, value: await ctx.kv.get(key) }
      },
      async spin({ rounds }) {
        let x = 0
        for (let i = 0; i < rounds; i++) x = (x * 31 + i) % 1000003
        return x
      },
    },
  }
  return { default: handlers }
})()`

const store = new Map([['order:1', { state: 'shipped', eta: '2026-11-22' }]])
const capabilities = {
  kv: {
    get: async (key) => store.get(key),
    set: async (key, value) => void store.set(key, value),
    delete: async (key) => void store.delete(key),
    list: async (prefix) => [...store.keys()].filter((k) => k.startsWith(prefix)),
  },
  cache: { get: async () => undefined, set: async () => undefined },
  log: () => undefined,
  emit: async () => undefined,
  receive: async () => ({ duplicate: false }),
}
const limits = {
  memoryMb: 64,
  cpuMs: 1000,
  timeoutMs: 10_000,
  maxResponseBytes: 1024 * 1024,
  fetchTimeoutMs: 10_000,
}
const options = { name: 'bench', version: '1.0.0', code, hosts: [], limits, capabilities }
const config = { greeting: 'Hello' }

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

function summary(latencies, ms) {
  const sorted = Float64Array.from(latencies).sort()
  return {
    perSecond: Math.round((latencies.length / ms) * 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
  }
}

async function check(result) {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

async function coldStart() {
  const times = []
  for (let i = 0; i < coldRuns; i++) {
    const began = performance.now()
    const sandbox = await createPluginSandbox(options)
    await check(
      await sandbox.invoke({ call: { kind: 'action', name: 'greet', input: { name: 'x' } }, config, secrets: {} }),
    )
    times.push(performance.now() - began)
    await sandbox.dispose()
  }
  return Float64Array.from(times).sort()
}

async function sequential(sandbox, call) {
  for (let i = 0; i < 500; i++) await check(await sandbox.invoke({ call, config, secrets: {} })) // warm-up
  const latencies = new Array(calls)
  const began = performance.now()
  for (let i = 0; i < calls; i++) {
    const t = performance.now()
    await check(await sandbox.invoke({ call, config, secrets: {} }))
    latencies[i] = performance.now() - t
  }
  return summary(latencies, performance.now() - began)
}

async function parallel(sandbox, call) {
  const latencies = []
  let started = 0
  const began = performance.now()
  async function worker() {
    while (started < calls) {
      started++
      const t = performance.now()
      await check(await sandbox.invoke({ call, config, secrets: {} }))
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return summary(latencies, performance.now() - began)
}

// the same kind of hop the sandbox makes per call, with nothing else: what isolated-vm itself costs
async function floor() {
  const ivm = loadIsolatedVm()
  const isolate = new ivm.Isolate({ memoryLimit: 64 })
  const context = await isolate.createContext()
  const fn = await context.eval(
    '(async function (id, call, config) { const c = JSON.parse(call); const g = JSON.parse(config).greeting; ' +
      'return JSON.stringify({ ok: true, value: { text: g + ", " + c.input.name } }) })',
    { reference: true },
  )
  const args = [1, JSON.stringify({ kind: 'action', name: 'greet', input: { name: 'Ada' } }), JSON.stringify(config)]
  const options = { timeout: limits.cpuMs, arguments: { copy: true }, result: { promise: true, copy: true } }
  for (let i = 0; i < 500; i++) await fn.apply(undefined, args, options)
  const latencies = new Array(calls)
  const began = performance.now()
  for (let i = 0; i < calls; i++) {
    const t = performance.now()
    await fn.apply(undefined, args, options)
    latencies[i] = performance.now() - t
  }
  const result = summary(latencies, performance.now() - began)
  isolate.dispose()
  return result
}

const engine = sandboxEngineInfo()
const cold = await coldStart()
const sandbox = await createPluginSandbox(options)
const greet = { kind: 'action', name: 'greet', input: { name: 'Ada' } }
const lookup = { kind: 'action', name: 'lookup', input: { key: 'order:1' } }
const spin = { kind: 'action', name: 'spin', input: { rounds: 100_000 } }
const rows = [
  ['warm, 1 at a time: greet (pure)', await sequential(sandbox, greet)],
  ['warm, 1 at a time: lookup (one ctx.kv.get)', await sequential(sandbox, lookup)],
  [`warm, ${concurrency} at a time: greet`, await parallel(sandbox, greet)],
  [`warm, ${concurrency} at a time: lookup`, await parallel(sandbox, lookup)],
  ['warm, 1 at a time: spin (100k loop rounds in the isolate)', await sequential(sandbox, spin)],
  ['floor: isolated-vm alone, one apply round trip, 1 at a time', await floor()],
]
const stats = sandbox.stats()
await sandbox.dispose()

const f = (ms) => (ms < 1 ? ms.toFixed(3) : ms.toFixed(2))
console.log(
  `node ${process.version}, ${engine.loaded} ${engine.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
    `load average ${loadavg()[0].toFixed(2)}; ${calls} calls per row\n`,
)
console.log(
  `cold start (new isolate → first answer), ${coldRuns} runs: p50 ${f(percentile(cold, 0.5))} ms, ` +
    `p99 ${f(percentile(cold, 0.99))} ms, min ${f(cold[0])} ms\n`,
)
console.log('| call | calls/s | p50 ms | p99 ms |')
console.log('|---|---:|---:|---:|')
for (const [label, r] of rows)
  console.log(`| ${label} | ${r.perSecond.toLocaleString('en')} | ${f(r.p50)} | ${f(r.p99)} |`)
console.log(
  `\nafter the run: ${stats.calls} calls, ${stats.failures} failures, ${stats.restarts} restarts, ` +
    `isolate heap ${(stats.heapUsedBytes / 1048576).toFixed(1)} MiB, CPU in the isolate ${Math.round(stats.cpuTimeMs)} ms, ` +
    `process RSS ${Math.round(process.memoryUsage().rss / 1048576)} MiB`,
)
