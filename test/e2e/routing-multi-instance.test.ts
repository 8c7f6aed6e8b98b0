import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planAssignments } from '../../core/src/routing/index.js'
import { readRoutingSnapshot } from '../../core/src/routing/routing-snapshot.js'
import { openDatabase, type Db } from '../../core/src/storage/index.js'
import { startCluster, type CoreCluster } from '../support/core-cluster.js'
import {
  assignedTwice,
  breachesInHistory,
  eventsDisagreeWithRows,
  ineligibleAssignments,
  priorityInversions,
  type ConversationRecord,
} from '../support/routing-checks.js'
import { createRoutingDriver, type RoutingDriver } from '../support/routing-driver.js'
import { generateScenario, type Scenario } from '../support/routing-scenario.js'
import { setUpRouting, type RoutingFixture } from '../support/routing-setup.js'
import { recordBus, watchAgents } from '../support/routing-watch.js'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { appUsesRedis, testDatabaseUrl, testRedisUrl } from '../support/test-env.js'

const INSTANCES = 3
const STEPS = 160
// SWITCHBOARD_ROUTING_SEED=<n> replays a failed run (the seed is in the failure message)
const seed = Number(process.env.SWITCHBOARD_ROUTING_SEED ?? Date.now() % 1_000_000)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** `list` without one occurrence of each item of `other` */
function withoutEach(list: string[], other: string[]): string[] {
  const rest = [...list]
  for (const item of other) {
    const i = rest.indexOf(item)
    if (i >= 0) rest.splice(i, 1)
  }
  return rest
}

async function until(test: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(everyMs))
    if (await test()) return true
  return test()
}

/**
 * The routing promises with several instances, end to end: three `switchboard start` processes
 * on one PostgreSQL database and one Redis, driven through their public interfaces by a seeded
 * random scenario (visitors on the web chat socket whose first message the triage flow hands off
 * to a queue with a priority; agents changing presence and a supervisor changing capacities, each
 * on whichever instance; conversations resolved), with one instance killed with SIGKILL midway.
 * Needs PostgreSQL and Redis (SWITCHBOARD_TEST_DATABASE_URL and SWITCHBOARD_TEST_REDIS_URL).
 */
describe.runIf(testDatabaseUrl && appUsesRedis && testRedisUrl)(
  `routing on ${INSTANCES} core instances sharing PostgreSQL and Redis (seed ${seed})`,
  () => {
    let db: TestDatabase
    let cluster: CoreCluster
    let prisma: Db
    let scenario: Scenario
    let fixture: RoutingFixture
    let driver: RoutingDriver
    let bus: Awaited<ReturnType<typeof recordBus>>

    const scenarioRows = async (): Promise<ConversationRecord[]> =>
      (await prisma.conversation.findMany({
        where: { queueId: { in: fixture.queues.map((q) => q.id) } },
        orderBy: { queuedAt: 'asc' },
      })) as ConversationRecord[]
    /** what a full plan over the live state would still assign now: 0 once the cluster has caught up */
    const assignable = async () => planAssignments(await readRoutingSnapshot(prisma, new Date())).assignments.length

    beforeAll(async () => {
      scenario = generateScenario(seed, { steps: STEPS, instances: INSTANCES })
      db = await createTestDatabase()
      cluster = await startCluster(db, INSTANCES, { LOG_LEVEL: 'warn' })
      prisma = await openDatabase({ provider: 'postgresql', url: db.url })
      fixture = await setUpRouting(cluster, scenario)
      bus = await recordBus(testRedisUrl!, cluster.redisPrefix!, ['conversation.*'])
      driver = createRoutingDriver(cluster, fixture, randomBytes(4).toString('hex'))
    }, 150_000)

    afterAll(async () => {
      await bus?.close()
      await prisma?.$disconnect()
      await cluster?.stop()
      await db?.drop()
    })

    it('never over capacity, never to an unavailable agent, never twice, nothing lost, priority first; through a kill -9', async () => {
      const agentIds = fixture.agents.map((a) => a.id)
      for (const [i, plan] of scenario.agents.entries()) {
        await driver.change(i, 'capacity', plan.chatCapacity, i)
        await driver.change(i, 'presence', 'available', i + 1)
      }
      const watch = watchAgents(prisma, agentIds, driver.changes)
      let killed: Promise<void> | undefined
      let killedAt = 0
      const started = Date.now()
      await driver.play(scenario.steps, {
        workers: 3,
        beforeStep: (i) => {
          if (i !== scenario.killAtStep) return
          killedAt = Date.now()
          killed = cluster.kill9(scenario.victim)
        },
      })
      await killed
      const played = Date.now() - started

      // the survivors catch up: nothing is left waiting that an agent could take
      const caughtUp = await until(async () => (await assignable()) === 0, 12_000)

      // then everyone takes work until nothing waits: every conversation reaches an agent
      for (const [i] of scenario.agents.entries()) {
        await driver.change(i, 'capacity', 3, i)
        await driver.change(i, 'presence', 'available', i + 1)
      }
      const drained = await until(
        async () => {
          const rows = await scenarioRows()
          const busy = rows.filter((r) => r.status === 'assigned').length
          for (let n = 0; n < Math.min(busy, 6); n++) await driver.resolveOne(0, n)
          return rows.every((r) => r.status !== 'queued')
        },
        20_000,
        300,
      )
      await watch.stop()

      const rows = await scenarioRows()
      const stuckWithTheBot = await prisma.conversation.count({
        where: { channel: 'webchat', status: 'bot', createdAt: { gte: new Date(started) } },
      })
      const acked = driver.arrivals.filter((a) => a.ackedAt !== null)
      const summary = {
        seed,
        played: `${played} ms`,
        arrivals: driver.arrivals.length,
        acked: acked.length,
        conversations: rows.length,
        assignedEvents: bus.records.filter((r) => r.topic === 'conversation.assigned').length,
        samples: watch.samples,
        killed: `instance ${scenario.victim} at step ${scenario.killAtStep}`,
        leftWithTheBot: stuckWithTheBot,
      }
      console.log('routing on several instances:', summary)

      expect(driver.errors, `seed ${seed}`).toEqual([])
      expect(watch.breaches, `seed ${seed}: sampled during the run`).toEqual([])
      expect(breachesInHistory(driver.changes, rows), `seed ${seed}`).toEqual([])
      expect(assignedTwice(bus.records), `seed ${seed}`).toEqual([])
      // an assignment the victim committed just before it died may never have been announced
      const unannounced = { unannouncedSince: killedAt - 1000, unannouncedUntil: killedAt + 100 }
      expect(eventsDisagreeWithRows(bus.records, rows, unannounced), `seed ${seed}`).toEqual([])
      expect(ineligibleAssignments(scenario, fixture, rows), `seed ${seed}`).toEqual([])
      expect(priorityInversions(scenario, fixture, rows), `seed ${seed}`).toEqual([])
      // nothing lost: every acknowledged visitor is a conversation of the queue and priority they
      // asked for, and each reached an agent
      expect(caughtUp, `seed ${seed}: waiting conversations an agent could take`).toBe(true)
      const asked = acked.map((a) => `${a.queue}|${a.priority}`)
      const queued = rows.map((r) => `${r.queueId}|${r.priority}`)
      expect(withoutEach(queued, asked), `seed ${seed}: conversations nobody asked for`).toEqual([])
      // Known gap (conversations, not routing): the bot answers after the message is stored, in the
      // instance that stored it; killed in between, that hand-off never runs (a resend is a
      // duplicate). Only messages sent to the victim just before it was killed may be left with the bot.
      const neverHandedOff = withoutEach(asked, queued)
      const lastOnVictim = acked.filter((a) =>
        a.sentTo.some((s) => s.instance === scenario.victim && s.at >= killedAt - 2000),
      )
      expect(neverHandedOff.length, `seed ${seed}`).toBe(stuckWithTheBot)
      expect(neverHandedOff.length, `seed ${seed}: conversations left with the bot`).toBeLessThanOrEqual(
        lastOnVictim.length,
      )
      expect(drained, `seed ${seed}: conversations still waiting at the end`).toBe(true)
      expect(
        rows.filter((r) => !r.assignedAt).map((r) => r.id),
        `seed ${seed}`,
      ).toEqual([])
    }, 120_000)
  },
)
