// Quality inspection throughput (core/src/qa), built (`npm run build` or `npx tsc -b core`; this imports core/dist).
//
// BENCH_QA_CONVERSATIONS (2,000) resolved conversations of realistic length (16–30 messages, Chinese and
// English, a few forbidden phrases and missed privacy notices), 20 agents, on SQLite in a temporary
// directory, inspected with the four default rules plus a call-silence rule (5 rules; 10 % of the
// conversations are calls):
//   in memory   inspectConversation over inspections read beforehand: the rules' own cost
//   end to end  every conversation put on the durable QA queue (as a resolution does), the scheduler
//               running the jobs: read the transcript, inspect, write the result, publish the event
// While the end-to-end run goes, a light API call (GET /api/v1/agents/me, bearer token) is made every
// 50 ms through server.inject to see what inspection does to live work on the same process.
// Memory: RSS and heap before seeding, after seeding, after the run. Nothing here asserts timings.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const core = await import('../../core/dist/index.js')
const { DEFAULT_QA_RULES } = await import('../../core/dist/qa/index.js')
const { inspectConversation } = await import('../../core/dist/qa/inspect-conversation.js')
const { readInspection } = await import('../../core/dist/qa/transcript.js')

const total = Number(process.env.BENCH_QA_CONVERSATIONS ?? 2_000)
const mib = (bytes) => Math.round(bytes / 1024 / 1024)
const memory = () => {
  const m = process.memoryUsage()
  return `RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB`
}

function generator(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = generator(20261121)
const int = (min, max) => min + Math.floor(random() * (max - min + 1))
const pick = (list) => list[Math.floor(random() * list.length)]

const customerLines = [
  '你好，我的订单三天了还没发货，能帮我查一下吗？',
  '订单号是 20261118-5531，收件人是我本人。',
  '快递显示已经签收了，但是我没有收到包裹。',
  '我想申请退款，商品有质量问题，屏幕有划痕。',
  '优惠券为什么用不了？结算的时候提示不满足条件。',
  'Hi, I ordered a jacket last week and it still says processing.',
  'Can I change the delivery address? I moved yesterday.',
  'The parcel arrived damaged, the box was crushed.',
  '好的，谢谢。',
  '那大概什么时候能到？我周末要用。',
  '这个太慢了，我已经等了一个星期。',
  'OK thanks, that helps a lot.',
]
const agentLines = [
  '您好，很高兴为您服务，请问有什么可以帮您？',
  '为了保护您的隐私，请不要在对话中发送银行卡密码或验证码。',
  '请您提供一下订单号，我这边帮您查询。',
  '已经帮您查到了，包裹目前在上海转运中心，预计明天送达。',
  '非常抱歉给您带来不便，我马上为您登记退款申请，1-3 个工作日到账。',
  '这张优惠券需要满 200 元才能使用，您当前的金额是 168 元。',
  'Thanks for waiting. Your order shipped this morning, tracking number SF1234567890.',
  'For your privacy, please do not share your card number here.',
  'I have updated the delivery address; you will get a confirmation SMS.',
  '还有其他可以帮您的吗？',
  '这个我也不知道，您自己查一下物流吧。',
  'Sorry, there is nothing I can do about the coupon.',
  '建议您选择保价服务，贵重物品更有保障。',
]

const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-qa-'))
const config = core.loadConfig({
  env: {
    SWITCHBOARD_DATA_DIR: dataDir,
    DATABASE_URL: `file:${join(dataDir, 'switchboard.db')}`,
    LOG_LEVEL: 'silent',
    SWITCHBOARD_PASSWORD_COST: '10',
  },
})
core.createSecretsFile(config)
const app = await core.createApp(config)
const { db } = app
const actor = core.systemActor('bench')
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)}; ${process.version}`,
)
console.log(`before seeding: ${memory()}`)

try {
  for (const rule of DEFAULT_QA_RULES) await app.services.qa.rules.create(actor, rule)
  await app.services.qa.rules.create(actor, {
    name: 'Long silence on calls',
    kind: 'timing',
    config: { measure: 'call-silence', seconds: 10 },
  })

  const agents = []
  for (let i = 0; i < 20; i++)
    agents.push(
      await app.services.users.create(actor, {
        email: `agent${i}@bench.local`,
        password: 'bench password 1',
        role: 'agent',
      }),
    )
  const token = (
    await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'agent0@bench.local', password: 'bench password 1' },
    })
  ).result.token
  const contact = await app.services.contacts.create({ name: 'Bench customer' })

  // seed
  const seedStart = performance.now()
  const end = Date.now() - 60_000
  let messages = 0
  const ids = []
  for (let batch = 0; batch < total; batch += 200) {
    const conversations = []
    const rows = []
    for (let k = batch; k < Math.min(total, batch + 200); k++) {
      const id = randomUUID()
      ids.push(id)
      const created = end - int(10, 1_400) * 60_000
      const count = int(16, 30)
      const agent = agents[k % agents.length]
      const call = random() < 0.1
      let at = created + 30_000
      for (let seq = 1; seq <= count; seq++) {
        const fromCustomer = seq % 2 === 1
        at += int(5, call ? 15 : 90) * 1000
        rows.push({
          conversationId: id,
          channel: call ? 'voice' : 'webchat',
          direction: fromCustomer ? 'inbound' : 'outbound',
          body: fromCustomer ? pick(customerLines) : pick(agentLines),
          seq,
          authorUserId: fromCustomer ? null : agent.id,
          payload: {},
          createdAt: new Date(at),
        })
      }
      messages += count
      conversations.push({
        id,
        contactId: contact.id,
        channel: call ? 'voice' : 'webchat',
        status: 'resolved',
        assigneeId: agent.id,
        lastAgentId: agent.id,
        createdAt: new Date(created),
        queuedAt: new Date(created + 10_000),
        assignedAt: new Date(created + 20_000),
        resolvedAt: new Date(at + 60_000),
        messageSeq: count,
        attributes: random() < 0.2 ? { orderAmount: int(100, 2000) } : {},
      })
    }
    await db.conversation.createMany({ data: conversations })
    await db.message.createMany({ data: rows })
  }
  console.log(
    `seeded ${total.toLocaleString('en')} conversations, ${messages.toLocaleString('en')} messages (avg ${(messages / total).toFixed(1)}) in ${Math.round(performance.now() - seedStart)} ms; ${memory()}`,
  )

  // in memory: the rules' own cost
  const definitions = (await app.services.qa.rules.list())
    .filter((r) => r.enabled)
    .map((r) => ({ ...r, scope: r.scope ?? {}, config: r.config }))
  const readStart = performance.now()
  const inspections = []
  for (const id of ids) inspections.push(await readInspection(db, id))
  const readMs = performance.now() - readStart
  const memStart = performance.now()
  let hits = 0
  for (const inspection of inspections) hits += (await inspectConversation(definitions, inspection)).hits.length
  const memMs = performance.now() - memStart
  console.log('')
  console.log('| step | conversations | time | conversations/s | per conversation |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  console.log(
    `| read transcripts (readInspection) | ${total} | ${Math.round(readMs)} ms | ${Math.round(total / (readMs / 1000)).toLocaleString('en')} | ${(readMs / total).toFixed(2)} ms |`,
  )
  console.log(
    `| inspect in memory (${definitions.length} rules) | ${total} | ${Math.round(memMs)} ms | ${Math.round(total / (memMs / 1000)).toLocaleString('en')} | ${(memMs / total).toFixed(2)} ms |`,
  )
  inspections.length = 0

  // end to end through the durable queue, with live API calls alongside
  const probe = async () => {
    const t0 = performance.now()
    const res = await app.server.inject({
      method: 'GET',
      url: '/api/v1/agents/me',
      headers: { authorization: `Bearer ${token}` },
    })
    if (res.statusCode !== 200) throw new Error(`probe ${res.statusCode}`)
    return performance.now() - t0
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  const idle = []
  for (let i = 0; i < 40; i++) {
    idle.push(await probe())
    await new Promise((r) => setTimeout(r, 10))
  }
  const idleDelay = {
    p50: loopDelay.percentile(50) / 1e6,
    p99: loopDelay.percentile(99) / 1e6,
    max: loopDelay.max / 1e6,
  }
  loopDelay.reset()
  const e2eStart = performance.now()
  let done = 0
  for (const id of ids) await app.services.qa.scheduleEvaluation(id)
  const scheduledMs = performance.now() - e2eStart
  // the longest stretches the event loop was blocked, and how many results existed when they ended
  const blocks = []
  let last = performance.now()
  let firstResultAt = null
  const watchdog = setInterval(() => {
    const now = performance.now()
    if (now - last > 1000) blocks.push({ ms: now - last, endedAt: now - e2eStart, done })
    last = now
  }, 100)
  const startAt = performance.now()
  await app.infra.scheduler.start()
  const schedulerStartMs = performance.now() - startAt
  const busy = []
  let peakRss = 0
  let probing = true
  const probes = (async () => {
    while (probing) {
      busy.push(await probe())
      await new Promise((r) => setTimeout(r, 50))
    }
  })()
  while (done < total) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    await new Promise((r) => setTimeout(r, 250))
    done = await db.qaResult.count()
    if (done > 0 && firstResultAt === null) firstResultAt = performance.now()
    if (performance.now() - e2eStart > 30 * 60_000) throw new Error(`only ${done} of ${total} inspected after 30 min`)
  }
  probing = false
  clearInterval(watchdog)
  await probes
  const busyDelay = {
    p50: loopDelay.percentile(50) / 1e6,
    p99: loopDelay.percentile(99) / 1e6,
    max: loopDelay.max / 1e6,
  }
  loopDelay.disable()
  const e2eMs = performance.now() - e2eStart
  const sumHits = (await db.qaResult.findMany({ select: { hits: true } })).reduce((n, r) => n + r.hits.length, 0)
  console.log(
    `| end to end (queue → inspect → result), ${sumHits.toLocaleString('en')} hits | ${total} | ${Math.round(e2eMs)} ms (scheduling ${Math.round(scheduledMs)} ms, scheduler start ${Math.round(schedulerStartMs)} ms) | ${Math.round(total / (e2eMs / 1000)).toLocaleString('en')} | ${(e2eMs / total).toFixed(2)} ms |`,
  )
  const pct = (list, p) => {
    const sorted = [...list].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1)
  }
  const steadyMs = performance.now() - (firstResultAt ?? e2eStart)
  console.log(
    `| of which from the first result to the last | ${total} | ${Math.round(steadyMs)} ms (first result after ${Math.round((firstResultAt ?? e2eStart) - e2eStart)} ms) | ${Math.round(total / (steadyMs / 1000)).toLocaleString('en')} | ${(steadyMs / total).toFixed(2)} ms |`,
  )
  console.log('')
  console.log(
    `event loop blocked > 1 s: ${blocks.length} times${blocks.length ? `; longest ${Math.round(Math.max(...blocks.map((b) => b.ms)))} ms` : ''}; ` +
      blocks
        .map((b) => `${Math.round(b.ms)} ms ending at +${Math.round(b.endedAt)} ms with ${b.done} results`)
        .join(', '),
  )
  console.log('')
  console.log('| GET /api/v1/agents/me (inject) | calls | p50 ms | p90 ms | max ms |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  console.log(`| idle | ${idle.length} | ${pct(idle, 50)} | ${pct(idle, 90)} | ${pct(idle, 100)} |`)
  console.log(`| while inspecting | ${busy.length} | ${pct(busy, 50)} | ${pct(busy, 90)} | ${pct(busy, 100)} |`)
  console.log('')
  console.log('| event-loop delay | p50 ms | p99 ms | max ms |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const [name, v] of [
    ['idle', idleDelay],
    ['while inspecting', busyDelay],
  ])
    console.log(`| ${name} | ${v.p50.toFixed(1)} | ${v.p99.toFixed(1)} | ${v.max.toFixed(1)} |`)
  console.log('')
  console.log(
    `in-memory hits ${hits.toLocaleString('en')}; peak RSS during the run ${mib(peakRss)} MiB; after: ${memory()}`,
  )
} finally {
  await app.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
