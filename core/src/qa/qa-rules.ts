import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { EventBus } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db, Prisma } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import {
  createRuleInput,
  updateRuleInput,
  type CreateRuleInput,
  type QaCategory,
  type QaKind,
  type RuleView,
  type UpdateRuleInput,
} from './qa-dto.js'
import type { QaRuleDef } from './qa-hits.js'

/** Bus topic published after a QA rule is created, changed or deleted. */
export const QA_RULES_CHANGED_TOPIC = 'qa.rules.changed'

type RuleRow = Awaited<ReturnType<Db['qaRule']['findFirstOrThrow']>>

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

function toView(row: RuleRow): RuleView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    kind: row.kind as QaKind,
    category: row.category as QaCategory,
    weight: row.weight,
    scope: record(row.scope),
    config: record(row.config),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** The rows' fields as the create schema reads them (to check a change against the whole rule). */
function definitionOf(row: RuleRow) {
  return {
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    kind: row.kind,
    category: row.category,
    weight: row.weight,
    scope: record(row.scope),
    config: record(row.config),
  }
}

export type QaRules = ReturnType<typeof createQaRules>

/** The admins' QA rules: validated as a whole on every change, audited, announced on the bus. */
export function createQaRules(deps: { db: Db; audit: AuditLog; bus: EventBus; logger: Logger; now: () => Date }) {
  const { db, audit, bus, logger, now } = deps

  async function find(id: string): Promise<RuleRow> {
    const row = await db.qaRule.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No QA rule ${id}`, { status: 404 })
    return row
  }

  async function checkNameFree(name: string, exceptId?: string): Promise<void> {
    const taken = await db.qaRule.findFirst({ where: { name, ...(exceptId ? { NOT: { id: exceptId } } : {}) } })
    if (taken)
      throw userError(ErrorCode.CONFLICT, `A QA rule is already named "${name}"`, {
        status: 409,
        details: [{ in: 'payload', path: 'name', message: 'taken' }],
      })
  }

  async function changed(actor: Actor, action: string, row: RuleRow, tx?: Db) {
    await audit.record(
      actor,
      { action, targetType: 'qa-rule', targetId: row.id, details: { name: row.name, kind: row.kind } },
      tx,
    )
  }

  return {
    async list(filter: { kind?: QaKind; enabled?: 'true' | 'false' } = {}): Promise<RuleView[]> {
      const rows = await db.qaRule.findMany({
        where: {
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.enabled ? { enabled: filter.enabled === 'true' } : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { name: 'asc' }],
      })
      return rows.map(toView)
    },

    async get(id: string): Promise<RuleView> {
      return toView(await find(id))
    },

    async create(actor: Actor, input: CreateRuleInput): Promise<RuleView> {
      const data = parseInput(createRuleInput, input, 'payload')
      await checkNameFree(data.name)
      const at = now()
      const row = await db.$transaction(async (tx) => {
        const created = await tx.qaRule.create({
          data: {
            name: data.name,
            description: data.description,
            enabled: data.enabled,
            kind: data.kind,
            category: data.category,
            weight: data.weight,
            scope: data.scope as Prisma.InputJsonObject,
            config: data.config as Prisma.InputJsonObject,
            createdAt: at,
          },
        })
        await changed(actor, 'qa-rule.created', created, tx as never)
        return created
      })
      await bus.publish(QA_RULES_CHANGED_TOPIC, { id: row.id, change: 'created' })
      return toView(row)
    },

    /** A change is checked against the whole rule it makes (a config replaces the old one). */
    async update(actor: Actor, id: string, change: UpdateRuleInput): Promise<RuleView> {
      const patch = parseInput(updateRuleInput, change, 'payload')
      const existing = await find(id)
      const data = parseInput(createRuleInput, { ...definitionOf(existing), ...patch }, 'payload')
      if (patch.name !== undefined) await checkNameFree(data.name, id)
      const row = await db.$transaction(async (tx) => {
        const updated = await tx.qaRule.update({
          where: { id },
          data: {
            name: data.name,
            description: data.description,
            enabled: data.enabled,
            category: data.category,
            weight: data.weight,
            scope: data.scope as Prisma.InputJsonObject,
            config: data.config as Prisma.InputJsonObject,
          },
        })
        await changed(actor, 'qa-rule.updated', updated, tx as never)
        return updated
      })
      await bus.publish(QA_RULES_CHANGED_TOPIC, { id, change: 'updated' })
      return toView(row)
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const existing = await find(id)
      await db.$transaction(async (tx) => {
        await tx.qaRule.delete({ where: { id } })
        await changed(actor, 'qa-rule.deleted', existing, tx as never)
      })
      await bus.publish(QA_RULES_CHANGED_TOPIC, { id, change: 'deleted' })
    },

    /** The enabled rules, each checked again (a rule stored by an older version that no longer passes is skipped and logged). */
    async enabledDefinitions(): Promise<QaRuleDef[]> {
      const rows = await db.qaRule.findMany({ where: { enabled: true }, orderBy: { createdAt: 'asc' } })
      const out: QaRuleDef[] = []
      for (const row of rows) {
        const parsed = createRuleInput.safeParse(definitionOf(row))
        if (!parsed.success) {
          logger.warn({ ruleId: row.id, issues: parsed.error.issues }, 'a QA rule is invalid and was skipped')
          continue
        }
        out.push({
          id: row.id,
          ...parsed.data,
          scope: parsed.data.scope,
          config: parsed.data.config as Record<string, unknown>,
        })
      }
      return out
    },
  }
}
