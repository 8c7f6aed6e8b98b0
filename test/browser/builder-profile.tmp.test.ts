// TEMPORARY (H6): profiling the 300-node canvas; deleted before hand-over
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chromiumInstalled } from '../support/chromium.js'
import { startConsole, VIEWPORTS, type ConsoleHarness } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

vi.setConfig({ testTimeout: 300_000 })

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tid: number
  pid: number
  cat: string
  args?: { name?: string; data?: Record<string, unknown> }
}

function summarize(buffer: Buffer, label: string) {
  const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }
  const threads = new Map<string, string>()
  for (const e of traceEvents)
    if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?')
  const byThread = new Map<string, Map<string, number>>()
  // only top-level-ish complete events: sum self-named durations (nested events double count; fine for ranking)
  for (const e of traceEvents) {
    if (e.ph !== 'X' || !e.dur) continue
    const thread = threads.get(`${e.pid}:${e.tid}`) ?? `${e.pid}:${e.tid}`
    if (!/CrRendererMain|Compositor|Raster|VizCompositor|CrGpuMain|TileWorker/.test(thread)) continue
    const m = byThread.get(thread) ?? new Map<string, number>()
    byThread.set(thread, m)
    m.set(e.name, (m.get(e.name) ?? 0) + e.dur / 1000)
  }
  const main = byThread.get('CrRendererMain') ?? new Map<string, number>()
  const pick = ['RunTask', 'FunctionCall', 'HitTest', 'UpdateLayoutTree', 'Layout', 'LocalFrameView::RunPaintLifecyclePhase', 'Layerize', 'PrePaint']
  const tiles = [...byThread.entries()].filter(([t]) => /TileWorker/.test(t)).reduce((s, [, m]) => s + (m.get('RunTask') ?? 0), 0)
  const comp = byThread.get('Compositor')?.get('RunTask') ?? 0
  return `  ${label}: ` + pick.map((n) => `${n.replace('LocalFrameView::RunPaintLifecyclePhase', 'Paint')}=${(main.get(n) ?? 0).toFixed(0)}`).join(' ') + ` | compositor=${comp.toFixed(0)} tiles=${tiles.toFixed(0)}`
}

describe.skipIf(!chromiumInstalled)('profile', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  beforeAll(async () => {
    h = await startConsole()
    admin = await h.user('admin', 'Perf')
  }, 120_000)
  afterAll(async () => {
    await h?.close()
  })

  it('profiles', async () => {
    const api = (method: string, url: string, payload?: unknown) =>
      h.t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin.token) })
    const nodes = [{ id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } }]
    const edges: Array<{ from: string; port: string; to: string }> = []
    for (let i = 1; i < 300; i++) {
      nodes.push({
        id: `n${i}`,
        type: i % 3 === 0 ? 'condition' : 'send-message',
        config: i % 3 === 0 ? { expression: `vars.step > ${i}` } : { text: `Step ${i}: {{ vars.orderNumber }}` },
        position: { x: (i % 15) * 300, y: Math.floor(i / 15) * 180 },
      } as never)
      edges.push({ from: i === 1 ? 'start' : `n${i - 1}`, port: (i - 1) % 3 === 0 && i > 1 ? 'true' : 'next', to: `n${i}` })
    }
    const created = await api('POST', '/api/v1/flows', { name: 'Big', kind: 'bot', document: { schemaVersion: 1, nodes, edges } })
    const { id } = JSON.parse(created.payload) as { id: string }
    const { page } = await h.signedIn(admin.email, 'en', VIEWPORTS.desktop)
    const out: string[] = []
    const variants = (process.env.H6_VARIANTS ?? 'base=').split('||').map((v) => {
      const i = v.indexOf('=')
      return { name: v.slice(0, i), css: v.slice(i + 1) }
    })
    const rounds = Number(process.env.H6_ROUNDS ?? 1)
    const measure = async (page: Page, name: string, action: () => Promise<void>) => {
      await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __run: boolean }
        w.__frames = []
        w.__run = true
        let last = performance.now()
        const tick = (now: number) => {
          w.__frames.push(now - last)
          last = now
          if (w.__run) requestAnimationFrame(tick)
        }
        requestAnimationFrame(tick)
      })
      const browser = page.context().browser()!
      const trace = process.env.H6_TRACE === '1'
      if (trace)
        await browser.startTracing(page, {
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8.execute'],
        })
      const cpu = process.env.H6_CPU === '1' ? await page.context().newCDPSession(page) : null
      if (cpu) {
        await cpu.send('Profiler.enable')
        await cpu.send('Profiler.setSamplingInterval', { interval: 250 })
        await cpu.send('Profiler.start')
      }
      const t0 = Date.now()
      await action()
      const wall = Date.now() - t0
      if (cpu) {
        const { profile } = (await cpu.send('Profiler.stop')) as unknown as {
          profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }>; samples: number[]; timeDeltas: number[] }
        }
        const byId = new Map(profile.nodes.map((n) => [n.id, n]))
        const self = new Map<string, number>()
        const dt = new Map<number, number>()
        profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
        for (const [id, us] of dt) {
          const n = byId.get(id)!
          const key = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
          self.set(key, (self.get(key) ?? 0) + us / 1000)
        }
        // inclusive time by function: walk parents
        const parent = new Map<number, number>()
        for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
        const incl = new Map<string, number>()
        for (const [id, us] of dt) {
          const seen = new Set<string>()
          for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
            const n = byId.get(cur)!
            const key = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
            if (seen.has(key)) continue
            seen.add(key)
            incl.set(key, (incl.get(key) ?? 0) + us / 1000)
          }
        }
        out.push('  self: ' + [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(', '))
        out.push('  incl: ' + [...incl.entries()].filter(([k]) => !/^\(root|\(program|\(idle/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(', '))
        await cpu.detach()
      }
      const frames = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __run: boolean }
        w.__run = false
        return w.__frames.slice(1)
      })
      const sorted = [...frames].sort((a, b) => a - b)
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
      out.push(`${name}: wall ${wall} ms, ${frames.length} frames p50 ${q(0.5).toFixed(1)} p95 ${q(0.95).toFixed(1)} max ${sorted.at(-1)!.toFixed(1)} (load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`)
      if (trace) {
        const buf = await browser.stopTracing()
        out.push(summarize(buf, name))
      }
    }
    for (let rep = 0; rep < rounds; rep++)
    for (const v of variants) {
      const [variantPage, flags] = v.css.split(':') as [string, string | undefined]
      await page.evaluate((f) => localStorage.setItem('h6', f), flags ?? '')
      await page.goto(`${h.base}/builder/assets/h6-${variantPage}.html?flow=${id}`)
      await page.locator('.react-flow__node[data-id="n1"]').waitFor()
      await page.waitForTimeout(1000)
      const box = (await page.locator('.sb-canvas').boundingBox())!
      await measure(page, `${v.name} pan`, async () => {
        const x = box.x + box.width - 60
        const y = box.y + 40
        await page.mouse.move(x, y)
        await page.mouse.down()
        for (let i = 0; i < 120; i++) await page.mouse.move(x - (i % 60) * 8, y + (i % 60) * 4)
        await page.mouse.up()
      })
      const target = (await page.locator('.react-flow__node-flow').nth(40).boundingBox())!
      await measure(page, `${v.name} drag`, async () => {
        await page.mouse.move(target.x + 60, target.y + 14)
        await page.mouse.down()
        for (let i = 0; i < 120; i++) await page.mouse.move(target.x + 60 + (i % 40) * 6, target.y + 14 + (i % 40) * 3)
        await page.mouse.up()
      })
    }
    console.log(out.join('\n'))
    expect(out.length).toBeGreaterThan(0)
  })
})
