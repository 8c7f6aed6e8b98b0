import { ErrorCode, userError } from '../../errors/index.js'
import type { Db, Prisma } from '../../storage/index.js'
import { flowDocumentSchema } from '../document/flow-document.js'
import { migrateFlowDocument } from '../document/migrate-document.js'
import type { LoadedVersion, RunRecord, RunStore } from './run-record.js'
import { turnStepsJson } from './run-trace.js'

const json = (value: unknown) => value as Prisma.InputJsonValue

/** Runs in the database. Published versions are immutable, so they are cached by id. */
export function createPrismaRunStore(db: Db): RunStore {
  const versions = new Map<string, LoadedVersion>()

  async function toLoaded(row: {
    id: string
    flowId: string
    graph: unknown
    flow: { name: string }
  }): Promise<LoadedVersion> {
    const loaded = {
      id: row.id,
      flowId: row.flowId,
      flowName: row.flow.name,
      document: flowDocumentSchema.parse(migrateFlowDocument(row.graph)),
    }
    versions.set(row.id, loaded)
    return loaded
  }

  return {
    async loadVersion(versionId) {
      const cached = versions.get(versionId)
      if (cached) return cached
      const row = await db.flowVersion.findUnique({
        where: { id: versionId },
        include: { flow: { select: { name: true } } },
      })
      if (!row) throw userError(ErrorCode.NOT_FOUND, `No flow version ${versionId}`, { status: 404 })
      return toLoaded(row)
    },
    async publishedVersion(flowIdOrName) {
      const flow = await db.flow.findFirst({ where: { OR: [{ id: flowIdOrName }, { name: flowIdOrName }] } })
      if (!flow) throw userError(ErrorCode.NOT_FOUND, `No flow "${flowIdOrName}"`, { status: 404 })
      if (!flow.publishedVersionId)
        throw userError(ErrorCode.CONFLICT, `Flow "${flow.name}" has no published version yet`, { status: 409 })
      return this.loadVersion(flow.publishedVersionId)
    },
    async loadRun(runId) {
      const row = await db.flowRun.findUnique({ where: { id: runId } })
      if (!row) return null
      return {
        id: row.id,
        flowId: row.flowId,
        flowVersionId: row.flowVersionId,
        conversationId: row.conversationId,
        status: row.status as RunRecord['status'],
        currentNodeId: row.currentNodeId,
        variables: row.variables as RunRecord['variables'],
        waitingFor: row.waitingFor as unknown as RunRecord['waitingFor'],
        callStack: row.callStack as RunRecord['callStack'],
        stepCount: row.stepCount,
        trigger: row.trigger as RunRecord['trigger'],
        lastError: row.lastError,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
      }
    },
    async loadForDelivery(runId, key) {
      const [run, eventSeen] = await Promise.all([this.loadRun(runId), key ? this.eventSeen(key) : false])
      return { run, eventSeen }
    },
    async runForEvent(key) {
      return (await db.flowRunEvent.findUnique({ where: { key } }))?.runId ?? null
    },
    async eventSeen(key) {
      return (await db.flowRunEvent.count({ where: { key } })) > 0
    },
    async saveTurn(run, steps, eventKey) {
      const data = {
        flowId: run.flowId,
        flowVersionId: run.flowVersionId,
        conversationId: run.conversationId,
        status: run.status,
        currentNodeId: run.currentNodeId,
        variables: json(run.variables),
        waitingFor: run.waitingFor === null ? (null as unknown as Prisma.InputJsonValue) : json(run.waitingFor),
        callStack: json(run.callStack),
        stepCount: run.stepCount,
        trigger: json(run.trigger),
        lastError: run.lastError,
        endedAt: run.endedAt,
      }
      try {
        await db.$transaction(async (tx) => {
          await tx.flowRun.upsert({
            where: { id: run.id },
            create: { id: run.id, startedAt: run.startedAt, ...data },
            update: data,
          })
          // the key is written in the same transaction: a duplicate rolls the whole turn back
          if (eventKey) await tx.flowRunEvent.create({ data: { key: eventKey, runId: run.id } })
          // the turn's trace is one row (run-trace.ts)
          if (steps.length)
            await tx.flowRunTurn.create({
              data: {
                runId: run.id,
                seq: steps[0]!.seq,
                steps: json(turnStepsJson(steps)),
                startedAt: steps[0]!.startedAt,
              },
            })
        })
        return 'saved'
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002' && eventKey && (await this.eventSeen(eventKey)))
          return 'duplicate'
        throw error
      }
    },
  }
}
