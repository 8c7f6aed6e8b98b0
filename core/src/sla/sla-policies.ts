import type { Actor, AuditLog } from '../audit/index.js'
import { storedBusinessHours, type BusinessHours } from '../calendar/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import { DbNull, type Db, type Prisma } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import {
  createPolicyInput,
  policyConditions,
  policyTargets,
  updatePolicyInput,
  type CreatePolicyInput,
  type PolicyConditions,
  type PolicyTargets,
  type PolicyView,
  type UpdatePolicyInput,
} from './sla-dto.js'

export type PolicyRow = Awaited<ReturnType<Db['slaPolicy']['findFirstOrThrow']>>

/** A policy as the clocks use it: its targets, warning and calendar read from the row. */
export interface Policy {
  id: string
  name: string
  conditions: PolicyConditions
  targets: PolicyTargets
  warnBeforeMinutes: number
  hours: BusinessHours | null
}

/** What a policy's conditions are checked against. */
export interface SlaSubjectFacts {
  kind: 'ticket' | 'conversation'
  /** a ticket's priority; conversations have none that policies read */
  priority: string | null
  /** a ticket's category, a conversation's intent */
  category: string | null
  channel: string | null
  /** the contact's tags */
  tags: string[]
}

export function policyOf(row: PolicyRow): Policy {
  return {
    id: row.id,
    name: row.name,
    conditions: policyConditions.safeParse(row.conditions).data ?? { appliesTo: ['ticket'] },
    targets: policyTargets.safeParse(row.targets).data ?? {},
    warnBeforeMinutes: row.warnBeforeMinutes,
    hours: storedBusinessHours(row.businessHours),
  }
}

function toView(row: PolicyRow): PolicyView {
  const policy = policyOf(row)
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    position: row.position,
    conditions: policy.conditions,
    targets: policy.targets,
    warnBeforeMinutes: row.warnBeforeMinutes,
    businessHours: row.businessHours ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** Whether a policy's conditions hold for a ticket or conversation (an absent or empty list holds for all). */
export function policyMatches(conditions: PolicyConditions, facts: SlaSubjectFacts): boolean {
  const holds = (list: string[] | undefined, value: string | null) =>
    !list?.length || (value !== null && list.includes(value))
  if (!conditions.appliesTo.includes(facts.kind)) return false
  if (facts.kind === 'ticket' && !holds(conditions.priorities, facts.priority)) return false
  if (!holds(conditions.categories, facts.category)) return false
  if (!holds(conditions.channels, facts.channel)) return false
  if (conditions.customerTags?.length && !conditions.customerTags.some((t) => facts.tags.includes(t))) return false
  return true
}

const nameTaken = (name: string) =>
  userError(ErrorCode.CONFLICT, `An SLA policy named "${name}" already exists`, {
    status: 409,
    details: [{ in: 'payload', path: 'name', message: 'taken' }],
  })

/** warnBeforeMinutes must come before every target; checked again on the merged row of a PATCH */
function checkWarning(warnBeforeMinutes: number, targets: PolicyTargets): void {
  if (warnBeforeMinutes === 0) return
  for (const [name, target] of Object.entries(targets))
    if (target !== undefined && warnBeforeMinutes >= target) {
      const message = `${warnBeforeMinutes} minutes is not before the ${name} target (${target} minutes); warn earlier than each target or use 0`
      throw userError(ErrorCode.VALIDATION, `Invalid payload: warnBeforeMinutes: ${message}`, {
        details: [{ in: 'payload', path: 'warnBeforeMinutes', message }],
      })
    }
}

/**
 * SLA policies: which tickets and conversations they apply to, their targets in business
 * minutes, the warning before a breach and the calendar they count in. The first enabled policy
 * (by position, then name) whose conditions hold applies.
 */
export function createSlaPolicies(deps: {
  db: Db
  audit: AuditLog
  /** before a policy is deleted (its clocks stop) */
  onRemoved: (id: string) => Promise<void>
  /** after a policy changed (its clocks are re-planned) */
  onUpdated: (before: Policy, after: Policy) => Promise<void>
}) {
  const { db, audit } = deps

  async function find(id: string): Promise<PolicyRow> {
    const row = await db.slaPolicy.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No SLA policy ${id}`, { status: 404 })
    return row
  }

  const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === 'P2002'

  return {
    async list(): Promise<PolicyView[]> {
      const rows = await db.slaPolicy.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] })
      return rows.map(toView)
    },

    async get(id: string): Promise<PolicyView> {
      return toView(await find(id))
    },

    /** the policy row by id, for the clocks (null when it was deleted) */
    async load(id: string | null): Promise<Policy | null> {
      if (!id) return null
      const row = await db.slaPolicy.findUnique({ where: { id } })
      return row ? policyOf(row) : null
    },

    /** The policy that applies to these facts: the first enabled one that matches. */
    async match(facts: SlaSubjectFacts): Promise<Policy | null> {
      const rows = await db.slaPolicy.findMany({
        where: { enabled: true },
        orderBy: [{ position: 'asc' }, { name: 'asc' }],
      })
      for (const row of rows) {
        const policy = policyOf(row)
        if (policyMatches(policy.conditions, facts)) return policy
      }
      return null
    },

    async create(actor: Actor, input: CreatePolicyInput): Promise<PolicyView> {
      const data = parseInput(createPolicyInput, input, 'payload')
      try {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.slaPolicy.create({
            data: {
              ...data,
              conditions: data.conditions as Prisma.InputJsonValue,
              targets: data.targets as Prisma.InputJsonValue,
              businessHours: (data.businessHours ?? undefined) as Prisma.InputJsonValue | undefined,
            },
          })
          await audit.record(
            actor,
            {
              action: 'sla-policy.created',
              targetType: 'sla-policy',
              targetId: created.id,
              details: { name: data.name },
            },
            tx as never,
          )
          return created
        })
        return toView(row)
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(data.name)
        throw error
      }
    },

    async update(actor: Actor, id: string, input: UpdatePolicyInput): Promise<PolicyView> {
      const data = parseInput(updatePolicyInput, input, 'payload')
      const existing = policyOf(await find(id))
      checkWarning(data.warnBeforeMinutes ?? existing.warnBeforeMinutes, data.targets ?? existing.targets)
      const { businessHours, conditions, targets, ...plain } = data
      try {
        const row = await db.$transaction(async (tx) => {
          const updated = await tx.slaPolicy.update({
            where: { id },
            data: {
              ...plain,
              ...(conditions ? { conditions: conditions as Prisma.InputJsonValue } : {}),
              ...(targets ? { targets: targets as Prisma.InputJsonValue } : {}),
              ...(businessHours !== undefined
                ? { businessHours: businessHours === null ? DbNull : (businessHours as Prisma.InputJsonValue) }
                : {}),
            },
          })
          await audit.record(
            actor,
            {
              action: 'sla-policy.updated',
              targetType: 'sla-policy',
              targetId: id,
              details: { fields: Object.keys(data) },
            },
            tx as never,
          )
          return updated
        })
        await deps.onUpdated(existing, policyOf(row))
        return toView(row)
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(data.name ?? '')
        throw error
      }
    },

    /** Deletes a policy; the clocks still counting under it stop (they keep their history for reports). */
    async remove(actor: Actor, id: string): Promise<void> {
      const existing = await find(id)
      await deps.onRemoved(id)
      await db.$transaction(async (tx) => {
        await tx.slaPolicy.delete({ where: { id } })
        await audit.record(
          actor,
          { action: 'sla-policy.deleted', targetType: 'sla-policy', targetId: id, details: { name: existing.name } },
          tx as never,
        )
      })
    },
  }
}
export type SlaPolicies = ReturnType<typeof createSlaPolicies>
