import type { ContactsService } from '../../contacts/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Infra } from '../../infra/index.js'
import type { Db } from '../../storage/index.js'
import type { NodeTypeRegistry } from '../node-types/registry.js'
import { createDbEffects, type DbEffectsDeps } from './db-effects.js'
import { FlowEngine, type FlowEngineDeps } from './flow-engine.js'
import type { RunRecord } from './run-record.js'
import { createPrismaRunStore } from './prisma-run-store.js'
import { stepsOfTurns } from './run-trace.js'
import { createSqliteRunStore } from './sqlite-run-store.js'

export const FLOW_TIMER_JOB = 'flows.timer'

export interface FlowRuntimeDeps {
  db: Db
  infra: Infra
  registry: NodeTypeRegistry
  contacts: ContactsService
  httpAllowedHosts: string[]
  /** the SQLite database file, when the database is SQLite */
  sqliteFile?: string
  classify?: DbEffectsDeps['classify']
  searchKb?: DbEffectsDeps['searchKb']
  pluginAction?: DbEffectsDeps['pluginAction']
  tickets?: DbEffectsDeps['tickets']
  callbacks?: DbEffectsDeps['callbacks']
  surveys?: DbEffectsDeps['surveys']
  queues?: DbEffectsDeps['queues']
  /** messages a conversation's run produced, to send on its channel (the conversations module) */
  onOutputs?: FlowEngineDeps['onOutputs']
}

/**
 * The engine for real runs: runs in the database, waits timed by the durable scheduler (a timer
 * set before a crash fires after the restart), turns serialised by the shared lock manager.
 */
export function createFlowRuntime(deps: FlowRuntimeDeps) {
  const { db, infra } = deps
  const prismaStore = createPrismaRunStore(db)
  // SQLite: turns on prepared statements (the hot path); PostgreSQL: through Prisma
  const sqliteStore = deps.sqliteFile ? createSqliteRunStore(deps.sqliteFile, prismaStore) : undefined
  const store = sqliteStore ?? prismaStore
  const timerKey = (runId: string, waitId: string) => `flow-timer:${runId}:${waitId}`
  /**
   * The run's `intent` variable (set by the classify-intent node, or by a flow's own keyword
   * routing) is what the conversation is about: reports, recurring issues and routing read it.
   */
  async function recordIntent(run: RunRecord) {
    const intent = run.variables.intent
    if (!run.conversationId || typeof intent !== 'string' || !intent || intent.length > 100) return
    await db.conversation.updateMany({
      where: { id: run.conversationId, OR: [{ intent: null }, { intent: { not: intent } }] },
      data: { intent },
    })
  }

  const engine = new FlowEngine({
    // nodes read the time through ctx.now(): scenario tests move it with a manual clock
    now: () => infra.clock.now(),
    registry: deps.registry,
    store,
    locks: infra.locks,
    onOutputs: async (run, outputs) => {
      await recordIntent(run)
      await deps.onOutputs?.(run, outputs)
    },
    effectsFor: (run) =>
      createDbEffects(
        {
          db,
          bus: infra.bus,
          scheduler: infra.scheduler,
          contacts: deps.contacts,
          httpAllowedHosts: deps.httpAllowedHosts,
          classify: deps.classify,
          searchKb: deps.searchKb,
          pluginAction: deps.pluginAction,
          tickets: deps.tickets,
          callbacks: deps.callbacks,
          surveys: deps.surveys,
          queues: deps.queues,
        },
        run,
      ),
    timers: {
      async set(runId, waitId, at) {
        await infra.scheduler.schedule({
          type: FLOW_TIMER_JOB,
          runAt: at,
          key: timerKey(runId, waitId),
          payload: { runId, waitId },
        })
      },
      async cancel(runId, waitId) {
        await infra.scheduler.cancel(timerKey(runId, waitId))
      },
    },
  })

  infra.scheduler.define(FLOW_TIMER_JOB, async (job) => {
    const { runId, waitId } = job.payload as { runId: string; waitId: string }
    const run = await store.loadRun(runId)
    if (!run || run.waitingFor?.waitId !== waitId) return
    const kind = run.waitingFor.spec.for === 'timer' ? 'timer' : 'timeout'
    await engine.deliver(runId, { kind }, { waitId, eventKey: `timer:${waitId}` })
  })
  // callbacks: their own jobs (callbacks.due) in core/src/callbacks, which also takes the old flows.callback-due
  // surveys: their own jobs (surveys.send) in core/src/surveys, which also takes the old flows.survey-due

  return {
    engine,
    store,
    close: () => sqliteStore?.close(),
    /** 404 for a conversation that does not exist (a run refers to it). */
    async assertConversation(conversationId: string) {
      if (!(await db.conversation.findUnique({ where: { id: conversationId }, select: { id: true } }))) {
        throw userError(ErrorCode.NOT_FOUND, `No conversation ${conversationId}`, {
          status: 404,
          details: [{ path: 'conversationId', message: 'unknown conversation' }],
        })
      }
    },
    /**
     * Ends the runs of a conversation that wait for input nobody will give any more (the caller
     * hung up): they are cancelled, and a timer still set for them finds them not waiting.
     */
    async cancelWaiting(conversationId: string) {
      await db.flowRun.updateMany({
        where: { conversationId, status: 'waiting' },
        data: { status: 'cancelled', endedAt: infra.clock.now() },
      })
    },
    /** The run with its trace: `steps`, one per executed node, in order (stored one row per turn). */
    async getRun(runId: string) {
      const run = await db.flowRun.findUnique({
        where: { id: runId },
        include: {
          turns: { orderBy: { seq: 'asc' } },
          flow: { select: { name: true } },
          flowVersion: { select: { version: true } },
        },
      })
      if (!run) return null
      const { turns, flow, flowVersion, ...fields } = run
      return { ...fields, steps: stepsOfTurns(run.id, turns), flow, flowVersion }
    },
    async listRuns(flowId: string, filter: { status?: string; limit: number }) {
      return db.flowRun.findMany({
        where: { flowId, status: filter.status },
        orderBy: { startedAt: 'desc' },
        take: filter.limit,
      })
    },
  }
}
export type FlowRuntime = ReturnType<typeof createFlowRuntime>
