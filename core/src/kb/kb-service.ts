import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { EventBus } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { createIndexCache } from '../text/index.js'
import { parseInput } from '../validation/parse-input.js'
import {
  createKbEntryInput,
  importKbEntriesInput,
  updateKbEntryInput,
  type CreateKbEntryInput,
  type KbEntryLine,
  type KbEntryView,
  type KbImportResult,
  type UpdateKbEntryInput,
} from './kb-dto.js'
import { buildKbSearchIndex } from './kb-search-index.js'
import type { KnowledgeBase } from './knowledge-base.js'

/** Bus topic published after knowledge-base entries change; every instance then re-indexes. */
export const KB_CHANGED_TOPIC = 'kb.changed'

type KbRow = Awaited<ReturnType<Db['kbEntry']['findFirstOrThrow']>>

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

function toView(row: KbRow): KbEntryView {
  return {
    id: row.id,
    question: row.question,
    answer: row.answer,
    tags: strings(row.tags),
    variants: strings(row.variants),
    language: row.language,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export type KbService = ReturnType<typeof createKbService>

/**
 * The knowledge base: FAQ entries and their search. The search index lives in this instance's
 * memory and is rebuilt after any change (here or, through the bus, on another instance).
 */
export function createKbService({ db, audit, bus }: { db: Db; audit: AuditLog; bus: EventBus }) {
  const index = createIndexCache({
    bus,
    topic: KB_CHANGED_TOPIC,
    build: async () => buildKbSearchIndex((await db.kbEntry.findMany()).map(toView)),
  })

  async function get(id: string): Promise<KbEntryView> {
    const row = await db.kbEntry.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No knowledge-base entry ${id}`, { status: 404 })
    return toView(row)
  }

  /** Empty text is no error (a flow may pass whatever the customer sent): it finds nothing. */
  const search: KnowledgeBase['search'] = async (text, options) => (await index.get()).search(text, options)

  return {
    search,
    get,

    async list(filter: { tag?: string; limit: number }): Promise<KbEntryView[]> {
      const rows = (await db.kbEntry.findMany({ orderBy: { id: 'asc' } })).map(toView)
      return (filter.tag ? rows.filter((r) => r.tags.includes(filter.tag!)) : rows).slice(0, filter.limit)
    },

    async create(actor: Actor, input: CreateKbEntryInput): Promise<KbEntryView> {
      const data = parseInput(createKbEntryInput, input)
      const row = await db.$transaction(async (tx) => {
        if (data.id && (await tx.kbEntry.findUnique({ where: { id: data.id } })))
          throw userError(ErrorCode.CONFLICT, `A knowledge-base entry ${data.id} already exists`, {
            status: 409,
            details: [{ in: 'payload', path: 'id', message: 'taken' }],
          })
        const created = await tx.kbEntry.create({ data: { ...data, language: data.language ?? null } })
        await audit.record(
          actor,
          {
            action: 'kb.entry.create',
            targetType: 'kb-entry',
            targetId: created.id,
            details: { question: data.question },
          },
          tx as Db,
        )
        return created
      })
      await index.changed()
      return toView(row)
    },

    async update(actor: Actor, id: string, input: UpdateKbEntryInput): Promise<KbEntryView> {
      const change = parseInput(updateKbEntryInput, input)
      await get(id)
      const row = await db.$transaction(async (tx) => {
        const updated = await tx.kbEntry.update({ where: { id }, data: change })
        await audit.record(
          actor,
          {
            action: 'kb.entry.update',
            targetType: 'kb-entry',
            targetId: id,
            details: { changed: Object.keys(change) },
          },
          tx as Db,
        )
        return updated
      })
      await index.changed()
      return toView(row)
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const entry = await get(id)
      await db.$transaction(async (tx) => {
        await tx.kbEntry.delete({ where: { id } })
        await audit.record(
          actor,
          { action: 'kb.entry.delete', targetType: 'kb-entry', targetId: id, details: { question: entry.question } },
          tx as Db,
        )
      })
      await index.changed()
    },

    /** Creates or replaces entries by id. All or nothing: one transaction. */
    async importEntries(actor: Actor, lines: KbEntryLine[]): Promise<KbImportResult> {
      const entries = parseInput(importKbEntriesInput, lines)
      const result = await db.$transaction(
        async (tx) => {
          const existing = new Set(
            (await tx.kbEntry.findMany({ where: { id: { in: entries.map((e) => e.id) } }, select: { id: true } })).map(
              (e) => e.id,
            ),
          )
          for (const entry of entries) {
            const data = { ...entry, language: entry.language ?? null }
            await tx.kbEntry.upsert({ where: { id: entry.id }, create: data, update: data })
          }
          const counts = { created: entries.length - existing.size, updated: existing.size }
          await audit.record(actor, { action: 'kb.import', targetType: 'kb-entry', details: counts }, tx as Db)
          return counts
        },
        { timeout: 60_000 },
      )
      await index.changed()
      return result
    },
  }
}
