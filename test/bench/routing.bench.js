// Routing decisions (core/src/routing), built (`npm run build` or `npx tsc -b core`; this imports core/dist).
//
// A synthetic contact center, the same on every run (seeded): BENCH_AGENTS (1,000) agents, BENCH_QUEUED
// (10,000) waiting conversations, 20 queues, 8 skills. Agents are members of 1–3 queues and standby for 0–2
// others, with 2–4 skills at levels 1–5, capacity 5 chats, 1 call or 2 emails by team, 85 % available.
// Queues have priorities 0–10, need 0–2 skills, age 0.5–2 points a minute; half overflow after 2–10 minutes,
// half have a 30-minute sticky window. Conversations: 60 % chat, 30 % voice, 10 % email; 10 % VIP (+10);
// 20 % need a language skill too; 20 % name a previous agent; queued over the last 30 minutes.
//
// Measured, one process, one decision at a time:
//   full plan            planAssignments from plain arrays (index built inside): with every agent free
//                        (thousands of assignments), and in steady state (BENCH_QUEUED waiting, and nobody
//                        who could take one of them has room)
//   index                createRoutingIndex from the arrays; index.plan in steady state, and after 100 agents
//                        each finished a conversation (the periodic re-plan)
//   agent becomes free   an agent finishes a conversation (upsertAgent), which conversation do they take
//                        (conversationForAgent), and the decision recorded (recordAssignment)
//   conversation arrives addConversation, which agent (agentForConversation), recorded or left waiting;
//                        in steady state, and with every agent free (the most agents to choose from)
//   positions, wait      queuePositions / estimateWait for all, index.positionOf for one
// BENCH_DECISIONS (20,000) per incremental row, BENCH_PLANS (30) per full-plan row.
import { cpus, loadavg } from 'node:os'

const routing = await import('../../core/dist/routing/index.js')
const { applyPlan, createRoutingIndex, estimateWait, planAssignments, queuePositions } = routing

const agentCount = Number(process.env.BENCH_AGENTS ?? 1_000)
const queuedCount = Number(process.env.BENCH_QUEUED ?? 10_000)
const decisions = Number(process.env.BENCH_DECISIONS ?? 20_000)
const plans = Number(process.env.BENCH_PLANS ?? 30)
const now = 1_800_000_000_000
const minute = 60_000

// mulberry32: a small seeded generator, so every run routes the same contact center
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
const some = (list, min, max) => {
  const copy = [...list]
  const n = int(min, max)
  const out = []
  for (let i = 0; i < n && copy.length; i++) out.push(copy.splice(Math.floor(random() * copy.length), 1)[0])
  return out
}

const skills = ['returns', 'billing', 'product', 'shipping', 'vip', 'english', 'japanese', 'technical']
const languages = ['english', 'japanese']
const queueIds = Array.from({ length: 20 }, (_, i) => `queue-${i}`)
const queues = queueIds.map((id) => ({
  id,
  priority: int(0, 10),
  requiredSkills: some(
    skills.filter((s) => !languages.includes(s)),
    0,
    2,
  ).map((skill) => ({ skill, minLevel: int(1, 2) })),
  agingPerMinute: pick([0.5, 1, 2]),
  overflowAfterMs: random() < 0.5 ? int(2, 10) * minute : undefined,
  stickyWindowMs: random() < 0.5 ? 30 * minute : undefined,
}))
const capacities = [{ chat: 5 }, { voice: 1, chat: 2 }, { email: 2, chat: 3 }]

function makeAgents() {
  return Array.from({ length: agentCount }, (_, i) => {
    const queueIdsOf = some(queueIds, 1, 3)
    const capacity = pick(capacities)
    return {
      id: `agent-${String(i).padStart(4, '0')}`,
      presence: random() < 0.85 ? 'available' : pick(['away', 'busy', 'after-call-work']),
      skills: Object.fromEntries(
        [
          ...new Set([
            ...some(skills, 2, 4),
            ...queueIdsOf.flatMap((q) => queues[Number(q.slice(6))].requiredSkills.map((r) => r.skill)),
          ]),
        ].map((s) => [s, int(1, 5)]),
      ),
      queueIds: queueIdsOf,
      standbyQueueIds: some(
        queueIds.filter((q) => !queueIdsOf.includes(q)),
        0,
        2,
      ),
      capacity,
      load: {},
      idleSince: now - int(0, 60) * minute,
    }
  })
}

function makeConversation(id, agents, queuedAt) {
  const conversation = {
    id,
    queueId: pick(queueIds),
    media: random() < 0.6 ? 'chat' : random() < 0.75 ? 'voice' : 'email',
    priority: random() < 0.1 ? 10 : 0,
    queuedAt,
  }
  if (random() < 0.2) conversation.requiredSkills = [{ skill: pick(languages), minLevel: 1 }]
  if (random() < 0.2) {
    conversation.previousAgentId = pick(agents).id
    conversation.lastHandledAt = now - int(0, 120) * minute
  }
  return conversation
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}
function summary(times) {
  const sorted = Float64Array.from(times).sort()
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] }
}
function timeRuns(runs, fn) {
  for (let i = 0; i < Math.min(3, runs); i++) fn() // warm-up
  const times = []
  let result
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    result = fn()
    times.push(performance.now() - t)
  }
  return { ...summary(times), result }
}

const freeAgents = makeAgents()
const queued = Array.from({ length: queuedCount }, (_, i) =>
  makeConversation(`conv-${String(i).padStart(5, '0')}`, freeAgents, now - int(0, 30 * 60) * 1000),
)
const startOfDay = { agents: freeAgents, queues, queued, now }

// full plans
const freePlan = timeRuns(plans, () => planAssignments(startOfDay))
// steady state: plans applied and the queue topped up until BENCH_QUEUED conversations wait with nobody to take them
let steady = applyPlan(startOfDay, freePlan.result)
for (let round = 0, next = queuedCount; round < 20 && steady.queued.length < queuedCount; round++) {
  const more = Array.from({ length: queuedCount - steady.queued.length }, () =>
    makeConversation(`conv-${String(next++).padStart(5, '0')}`, freeAgents, now - int(0, 30 * 60) * 1000),
  )
  const topped = { ...steady, queued: [...steady.queued, ...more] }
  steady = applyPlan(topped, planAssignments(topped))
}
const steadyPlan = timeRuns(plans, () => planAssignments(steady))
if (steadyPlan.result.assignments.length !== 0) throw new Error('the state after a plan should be steady')
const build = timeRuns(plans, () => createRoutingIndex(steady))
const index = build.result
const indexPlan = timeRuns(plans, () => index.plan(now))
// the periodic re-plan: 100 agents have each finished a conversation since (the plan does not change the index)
const freed = steady.agents.map((a, i) => {
  if (i % 10 !== 0) return a
  const held = Object.keys(a.load).find((m) => a.load[m] > 0)
  return held ? { ...a, load: { ...a.load, [held]: a.load[held] - 1 } } : a
})
const freedIndex = createRoutingIndex({ ...steady, agents: freed })
const freedPlan = timeRuns(plans, () => freedIndex.plan(now))

// one agent becomes free: they finish a conversation of one of their kinds, and take the next one
function agentFrees(idx, agents, at) {
  const decide = []
  const whole = []
  let taken = 0
  for (let i = 0; i < decisions; i++) {
    const t0 = performance.now()
    const agent = agents[Math.floor(random() * agents.length)]
    const kinds = Object.keys(agent.capacity).filter((m) => (agent.load[m] ?? 0) > 0)
    if (kinds.length) agent.load[pick(kinds)] -= 1
    agent.idleSince = at
    idx.upsertAgent(agent)
    const t1 = performance.now()
    const decision = idx.conversationForAgent(agent.id, at)
    const t2 = performance.now()
    if (decision) {
      idx.recordAssignment(decision, at)
      const media = steadyMedia.get(decision.conversationId)
      agent.load[media] = (agent.load[media] ?? 0) + 1
      taken++
      // keep the queue at its size: the same conversation comes back under a new id
      idx.addConversation({ ...steadyById.get(decision.conversationId), id: `${decision.conversationId}-${i}` })
      steadyMedia.set(`${decision.conversationId}-${i}`, media)
      steadyById.set(`${decision.conversationId}-${i}`, steadyById.get(decision.conversationId))
    }
    const t3 = performance.now()
    decide.push(t2 - t1)
    whole.push(t3 - t0)
  }
  return { decide: summary(decide), whole: summary(whole), taken }
}
const steadyById = new Map(steady.queued.map((c) => [c.id, c]))
const steadyMedia = new Map(steady.queued.map((c) => [c.id, c.media]))
const steadyAgents = steady.agents.map((a) => ({ ...a, load: { ...a.load } }))
const frees = agentFrees(index, steadyAgents, now)

// one conversation arrives: which agent; recorded if assigned (unless `record` is false), else it leaves again
function arrivals(idx, agents, at, record = true) {
  const decide = []
  const whole = []
  let assigned = 0
  for (let i = 0; i < decisions; i++) {
    const conversation = makeConversation(`arrival-${i}`, agents, at)
    const t0 = performance.now()
    idx.addConversation(conversation)
    const t1 = performance.now()
    const decision = idx.agentForConversation(conversation.id, at)
    const t2 = performance.now()
    if (decision) assigned++
    if (decision && record) idx.recordAssignment(decision, at)
    else idx.removeConversation(conversation.id)
    const t3 = performance.now()
    decide.push(t2 - t1)
    whole.push(t3 - t0)
  }
  return { decide: summary(decide), whole: summary(whole), assigned }
}
const steadyArrivals = arrivals(index, steadyAgents, now)
// every agent with spare capacity (decisions not recorded, so it stays so): the most agents to choose from
const freeIndex = createRoutingIndex({ agents: freeAgents, queues, queued: [] })
const freeArrivals = arrivals(freeIndex, freeAgents, now, false)

// positions and wait estimates
const positions = timeRuns(10, () => queuePositions(steady))
const recentHandleTimes = Array.from({ length: 2_000 }, () => ({
  queueId: pick(queueIds),
  media: pick(['chat', 'voice', 'email']),
  handleMs: int(2, 20) * minute,
}))
const waits = timeRuns(10, () => estimateWait({ ...steady, recentHandleTimes }))
const positionIds = steady.queued.map((c) => c.id)
const positionOf = timeRuns(decisions, () => index.positionOf(pick(positionIds), now))

const ms = (v) => (v < 1 ? v.toFixed(3) : v.toFixed(2))
const us = (v) => (v * 1000).toFixed(1)
const available = freeAgents.filter((a) => a.presence === 'available').length
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${loadavg()[0].toFixed(2)}; ` +
    `${agentCount} agents (${available} available), ${queuedCount} queued, ${queues.length} queues\n`,
)
console.log('| full plan | runs | assignments | p50 ms | p99 ms |')
console.log('|---|---:|---:|---:|---:|')
const planRow = (label, r, runs = plans) =>
  console.log(`| ${label} | ${runs} | ${r.result.assignments?.length ?? '—'} | ${ms(r.p50)} | ${ms(r.p99)} |`)
planRow('planAssignments, every agent free', freePlan)
planRow('planAssignments, steady state', steadyPlan)
console.log(
  `| createRoutingIndex (1,000 agents, ${steady.queued.length} waiting) | ${plans} | — | ${ms(build.p50)} | ${ms(build.p99)} |`,
)
planRow('index.plan, steady state', indexPlan)
planRow('index.plan, 100 agents have just freed a slot', freedPlan)
console.log('\n| decision | decisions | p50 µs | p99 µs | max µs | with index update p50 µs | p99 µs |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
const row = (label, r) =>
  console.log(
    `| ${label} | ${decisions} | ${us(r.decide.p50)} | ${us(r.decide.p99)} | ${us(r.decide.max)} | ${us(r.whole.p50)} | ${us(r.whole.p99)} |`,
  )
row(`agent becomes free → which conversation (steady state; ${frees.taken} took one)`, frees)
row(`conversation arrives → which agent (steady state; ${steadyArrivals.assigned} assigned)`, steadyArrivals)
row(`conversation arrives → which agent (every agent free; ${freeArrivals.assigned} assigned)`, freeArrivals)
console.log(
  `| index.positionOf (one conversation) | ${decisions} | ${us(positionOf.p50)} | ${us(positionOf.p99)} | ${us(positionOf.max)} | — | — |`,
)
console.log(
  `\nqueuePositions for all ${steady.queued.length}: p50 ${ms(positions.p50)} ms; ` +
    `estimateWait for all: p50 ${ms(waits.p50)} ms (10 runs each)`,
)
console.log(`process RSS ${Math.round(process.memoryUsage().rss / 1048576)} MiB`)
