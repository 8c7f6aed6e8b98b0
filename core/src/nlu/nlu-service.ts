import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { EventBus } from '../infra/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { createIndexCache } from '../text/index.js'
import { parseInput } from '../validation/parse-input.js'
import type { IntentClassifier } from './intent-classifier.js'
import { trainIntentModel } from './intent-model.js'
import {
  createIntentInput,
  importIntentExamplesInput,
  type CreateIntentInput,
  type IntentExampleLine,
  type IntentImportResult,
  type IntentView,
  type UpdateIntentInput,
  updateIntentInput,
} from './nlu-dto.js'

/** Bus topic published after intents or examples change; every instance then retrains. */
export const NLU_CHANGED_TOPIC = 'nlu.changed'

const include = {
  examples: { orderBy: [{ createdAt: 'asc' as const }, { text: 'asc' as const }] },
} satisfies Prisma.NluIntentInclude
type IntentRow = Awaited<ReturnType<Db['nluIntent']['findFirstOrThrow']>> & { examples: Array<{ text: string }> }

function toView(row: IntentRow): IntentView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    examples: row.examples.map((e) => e.text),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

const unique = (texts: string[]) => [...new Set(texts)]

export type NluService = ReturnType<typeof createNluService>

/**
 * Intents with their example phrases, and the classifier trained on them. The model lives in
 * this instance's memory and is retrained after any change (here or, through the bus, on
 * another instance).
 */
export function createNluService({ db, audit, bus }: { db: Db; audit: AuditLog; bus: EventBus }) {
  const model = createIndexCache({
    bus,
    topic: NLU_CHANGED_TOPIC,
    build: async () =>
      trainIntentModel(
        (await db.nluIntent.findMany({ include: { examples: { select: { text: true } } } })).map((i) => ({
          name: i.name,
          examples: i.examples.map((e) => e.text),
        })),
      ),
  })

  async function assertNameFree(tx: Db, name: string, exceptId?: string) {
    const existing = await tx.nluIntent.findUnique({ where: { name } })
    if (existing && existing.id !== exceptId)
      throw userError(ErrorCode.CONFLICT, `An intent named "${name}" already exists`, {
        status: 409,
        details: [{ in: 'payload', path: 'name', message: 'taken' }],
      })
  }

  async function get(id: string): Promise<IntentView> {
    const row = await db.nluIntent.findUnique({ where: { id }, include })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No intent ${id}`, { status: 404 })
    return toView(row)
  }

  /** Empty text is no error (a flow may pass whatever the customer sent): it gets no intent. */
  const classify: IntentClassifier['classify'] = async (text, options) => (await model.get()).classify(text, options)

  return {
    classify,
    get,

    async list(): Promise<IntentView[]> {
      return (await db.nluIntent.findMany({ orderBy: { name: 'asc' }, include })).map(toView)
    },

    async create(actor: Actor, input: CreateIntentInput): Promise<IntentView> {
      const data = parseInput(createIntentInput, input)
      const examples = unique(data.examples)
      const row = await db.$transaction(async (tx) => {
        await assertNameFree(tx as Db, data.name)
        const created = await tx.nluIntent.create({
          data: {
            name: data.name,
            description: data.description,
            examples: { create: examples.map((text) => ({ text })) },
          },
          include,
        })
        await audit.record(
          actor,
          {
            action: 'nlu.intent.create',
            targetType: 'nlu-intent',
            targetId: created.id,
            details: { name: created.name, examples: examples.length },
          },
          tx as Db,
        )
        return created
      })
      await model.changed()
      return toView(row)
    },

    async update(actor: Actor, id: string, input: UpdateIntentInput): Promise<IntentView> {
      const change = parseInput(updateIntentInput, input)
      await get(id)
      const row = await db.$transaction(async (tx) => {
        if (change.name) await assertNameFree(tx as Db, change.name, id)
        if (change.examples) {
          await tx.nluExample.deleteMany({ where: { intentId: id } })
          await tx.nluExample.createMany({ data: unique(change.examples).map((text) => ({ intentId: id, text })) })
        }
        const updated = await tx.nluIntent.update({
          where: { id },
          // touch updatedAt even when only the examples changed
          data: { name: change.name, description: change.description, updatedAt: new Date() },
          include,
        })
        await audit.record(
          actor,
          {
            action: 'nlu.intent.update',
            targetType: 'nlu-intent',
            targetId: id,
            details: { changed: Object.keys(change), name: updated.name },
          },
          tx as Db,
        )
        return updated
      })
      await model.changed()
      return toView(row)
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const intent = await get(id)
      await db.$transaction(async (tx) => {
        await tx.nluIntent.delete({ where: { id } })
        await audit.record(
          actor,
          { action: 'nlu.intent.delete', targetType: 'nlu-intent', targetId: id, details: { name: intent.name } },
          tx as Db,
        )
      })
      await model.changed()
    },

    /**
     * Adds example phrases, creating the intents they name; examples an intent already has are
     * left alone. All or nothing: one transaction.
     */
    async importExamples(actor: Actor, lines: IntentExampleLine[]): Promise<IntentImportResult> {
      const rows = parseInput(importIntentExamplesInput, lines)
      const result = await db.$transaction(
        async (tx) => {
          const names = unique(rows.map((r) => r.intent))
          const existing = await tx.nluIntent.findMany({
            where: { name: { in: names } },
            include: { examples: { select: { text: true } } },
          })
          const ids = new Map(existing.map((i) => [i.name, i.id]))
          const known = new Set(existing.flatMap((i) => i.examples.map((e) => `${i.id}\u0000${e.text}`)))
          let intentsCreated = 0
          for (const name of names.filter((n) => !ids.has(n))) {
            ids.set(name, (await tx.nluIntent.create({ data: { name } })).id)
            intentsCreated++
          }
          const added: Array<{ intentId: string; text: string }> = []
          for (const { intent, text } of rows) {
            const intentId = ids.get(intent)!
            const key = `${intentId}\u0000${text}`
            if (known.has(key)) continue
            known.add(key)
            added.push({ intentId, text })
          }
          if (added.length > 0) await tx.nluExample.createMany({ data: added })
          const counts = {
            intentsCreated,
            examplesAdded: added.length,
            examplesUnchanged: rows.length - added.length,
          }
          await audit.record(actor, { action: 'nlu.import', targetType: 'nlu-intent', details: counts }, tx as Db)
          return counts
        },
        { timeout: 60_000 },
      )
      await model.changed()
      return result
    },
  }
}
