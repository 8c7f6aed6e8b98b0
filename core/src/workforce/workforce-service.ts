import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Infra } from '../infra/index.js'
import type { Db, Prisma } from '../storage/index.js'
import { agentInScope, readTeamScope } from '../teams/index.js'
import { parseInput } from '../validation/parse-input.js'
import { expandWeekPattern } from './shift-pattern.js'
import {
  bulkShiftsInput,
  createShiftInput,
  listShiftsQuery,
  MAX_LIST_DAYS,
  MAX_SHIFT_HOURS,
  updateShiftInput,
  type BulkShiftsInput,
  type CreateShiftInput,
  type ListShiftsQuery,
  type ShiftView,
  type UpdateShiftInput,
} from './workforce-dto.js'

export interface WorkforceViewer {
  id: string
  role: string
}

type ShiftRow = Awaited<ReturnType<Db['agentShift']['findFirstOrThrow']>>
type Span = { userId: string; startsAt: Date; endsAt: Date; queueId: string | null; note: string }

const HOUR_MS = 3_600_000
/** Shift writes check overlaps under one lock: two writers cannot both find a slot free. */
const SHIFTS_LOCK = 'workforce.shifts'

const invalid = (path: string, message: string) =>
  userError(ErrorCode.VALIDATION, `Invalid payload: ${path}: ${message}`, {
    status: 400,
    details: [{ in: 'payload', path, message }],
  })

/**
 * Workforce: agents' planned shifts (the rota) — listed, created one by one or from a week
 * pattern, changed and deleted by supervisors for the agents they oversee. Staffing figures
 * (scheduled and actual agents per interval) are read by analytics through readStaffing.
 */
export function createWorkforceService(deps: { db: Db; infra: Infra; audit: AuditLog }) {
  const { db, infra, audit } = deps

  async function names(userIds: string[]) {
    const users = await db.user.findMany({
      where: { id: { in: [...new Set(userIds)] } },
      select: { id: true, name: true },
    })
    return new Map(users.map((u) => [u.id, u.name]))
  }

  async function view(rows: ShiftRow[]): Promise<ShiftView[]> {
    const byId = await names(rows.map((r) => r.userId))
    return rows.map((r) => ({
      id: r.id,
      userId: r.userId,
      userName: byId.get(r.userId) ?? null,
      queueId: r.queueId,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      note: r.note,
      createdById: r.createdById,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }))
  }

  /** The agents the viewer may plan: everyone for admins and supervisors without teams, else their teams' members. */
  async function checkAgents(viewer: WorkforceViewer, userIds: string[], path: string) {
    const unique = [...new Set(userIds)]
    const found = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true } })
    const known = new Set(found.map((u) => u.id))
    const missing = unique.filter((u) => !known.has(u))
    if (missing.length > 0)
      throw userError(ErrorCode.NOT_FOUND, `No agent ${missing.join(', ')}`, {
        status: 404,
        details: missing.map((m) => ({ in: 'payload', path, message: `no user ${m}` })),
      })
    const scope = await readTeamScope(db, viewer)
    const outside = unique.filter((u) => !agentInScope(scope, u))
    if (outside.length > 0)
      throw userError(ErrorCode.FORBIDDEN, `Agent ${outside.join(', ')} is not in one of your teams`, { status: 403 })
  }

  async function checkQueue(queueId: string | null | undefined, path = 'queueId') {
    if (!queueId) return
    if (!(await db.queue.findUnique({ where: { id: queueId }, select: { id: true } })))
      throw userError(ErrorCode.NOT_FOUND, `No queue ${queueId}`, {
        status: 404,
        details: [{ in: 'payload', path, message: `no queue ${queueId}` }],
      })
  }

  function checkSpan(span: { startsAt: Date; endsAt: Date }, path = 'endsAt') {
    if (span.endsAt.getTime() <= span.startsAt.getTime()) throw invalid(path, 'a shift must end after it starts')
    if (span.endsAt.getTime() - span.startsAt.getTime() > MAX_SHIFT_HOURS * HOUR_MS)
      throw invalid(path, `a shift is at most ${MAX_SHIFT_HOURS} hours long`)
  }

  /** 409 when one of the spans overlaps another of the same agent (stored, or earlier in the list). */
  async function checkOverlaps(spans: Span[], ignoreId?: string) {
    const conflicts: string[] = []
    const sorted = [...spans].sort((a, b) => a.userId.localeCompare(b.userId) || +a.startsAt - +b.startsAt)
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!]
      if (a.userId === b.userId && b.startsAt < a.endsAt)
        conflicts.push(
          `${a.userId}: ${b.startsAt.toISOString()} overlaps ${a.startsAt.toISOString()}–${a.endsAt.toISOString()}`,
        )
    }
    for (const span of spans) {
      const other = await db.agentShift.findFirst({
        where: {
          userId: span.userId,
          startsAt: { lt: span.endsAt },
          endsAt: { gt: span.startsAt },
          ...(ignoreId ? { id: { not: ignoreId } } : {}),
        },
        orderBy: { startsAt: 'asc' },
      })
      if (other)
        conflicts.push(
          `${span.userId}: ${span.startsAt.toISOString()}–${span.endsAt.toISOString()} overlaps shift ${other.id} (${other.startsAt.toISOString()}–${other.endsAt.toISOString()})`,
        )
    }
    if (conflicts.length > 0)
      throw userError(ErrorCode.CONFLICT, `The agent already has a shift then: ${conflicts.slice(0, 5).join('; ')}`, {
        status: 409,
        details: conflicts.map((message) => ({ in: 'payload', path: 'startsAt', message })),
      })
  }

  async function visibleShift(viewer: WorkforceViewer, id: string): Promise<ShiftRow> {
    const row = await db.agentShift.findUnique({ where: { id } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No shift ${id}`, { status: 404 })
    const scope = await readTeamScope(db, viewer)
    if (!agentInScope(scope, row.userId))
      throw userError(ErrorCode.FORBIDDEN, `Shift ${id} is of an agent outside your teams`, { status: 403 })
    return row
  }

  const writeLock = <T>(fn: () => Promise<T>) =>
    infra.locks.withLock(SHIFTS_LOCK, { ttlMs: 30_000, waitMs: 15_000 }, fn)

  return {
    /** Shifts overlapping [from, to) of the agents the viewer oversees, by start. */
    async list(viewer: WorkforceViewer, query: ListShiftsQuery): Promise<ShiftView[]> {
      const q = parseInput(listShiftsQuery, query, 'query')
      if (q.to <= q.from)
        throw userError(ErrorCode.VALIDATION, 'Invalid query: to must be after from', {
          status: 400,
          details: [{ in: 'query', path: 'to', message: 'must be after from' }],
        })
      if (q.to.getTime() - q.from.getTime() > MAX_LIST_DAYS * 24 * HOUR_MS)
        throw userError(ErrorCode.VALIDATION, `Invalid query: at most ${MAX_LIST_DAYS} days at once`, {
          status: 400,
          details: [{ in: 'query', path: 'to', message: `at most ${MAX_LIST_DAYS} days after from` }],
        })
      const scope = await readTeamScope(db, viewer)
      const where: Prisma.AgentShiftWhereInput = {
        startsAt: { lt: q.to },
        endsAt: { gt: q.from },
        ...(q.userId ? { userId: q.userId } : {}),
        ...(q.queueId ? { OR: [{ queueId: q.queueId }, { queueId: null }] } : {}),
        ...(scope.kind === 'teams'
          ? { userId: q.userId && scope.teammateIds.has(q.userId) ? q.userId : { in: [...scope.teammateIds] } }
          : {}),
      }
      const rows = await db.agentShift.findMany({
        where,
        orderBy: [{ startsAt: 'asc' }, { userId: 'asc' }],
        take: 5000,
      })
      return view(rows)
    },

    async create(viewer: WorkforceViewer, actor: Actor, input: CreateShiftInput): Promise<ShiftView> {
      const data = parseInput(createShiftInput, input, 'payload')
      checkSpan(data)
      await checkAgents(viewer, [data.userId], 'userId')
      await checkQueue(data.queueId)
      const row = await writeLock(async () => {
        await checkOverlaps([{ ...data, queueId: data.queueId ?? null }])
        return db.agentShift.create({
          data: {
            userId: data.userId,
            queueId: data.queueId ?? null,
            startsAt: data.startsAt,
            endsAt: data.endsAt,
            note: data.note,
            createdById: viewer.id,
          },
        })
      })
      await audit.record(actor, {
        action: 'workforce.shift.create',
        targetType: 'agent-shift',
        targetId: row.id,
        details: { userId: row.userId, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() },
      })
      return (await view([row]))[0]!
    },

    /** A week pattern for several agents at once: all shifts are created, or none (any overlap → 409). */
    async createBulk(viewer: WorkforceViewer, actor: Actor, input: BulkShiftsInput) {
      const data = parseInput(bulkShiftsInput, input, 'payload')
      const pattern = expandWeekPattern(data)
      const first = pattern[0]
      if (first) checkSpan(first, 'to')
      await checkAgents(viewer, data.userIds, 'userIds')
      await checkQueue(data.queueId)
      const spans: Span[] = [...new Set(data.userIds)].flatMap((userId) =>
        pattern.map((p) => ({ userId, ...p, queueId: data.queueId ?? null, note: data.note })),
      )
      for (const span of spans) checkSpan(span, 'to')
      const rows = await writeLock(async () => {
        await checkOverlaps(spans)
        return db.$transaction(
          spans.map((s) =>
            db.agentShift.create({
              data: {
                userId: s.userId,
                queueId: s.queueId,
                startsAt: s.startsAt,
                endsAt: s.endsAt,
                note: s.note,
                createdById: viewer.id,
              },
            }),
          ),
        )
      })
      await audit.record(actor, {
        action: 'workforce.shift.bulk-create',
        targetType: 'agent-shift',
        details: {
          userIds: data.userIds,
          days: data.days,
          from: data.from,
          to: data.to,
          timezone: data.timezone,
          weekOf: data.weekOf,
          weeks: data.weeks,
          created: rows.length,
        },
      })
      return { created: rows.length, shifts: await view(rows) }
    },

    async update(viewer: WorkforceViewer, actor: Actor, id: string, input: UpdateShiftInput): Promise<ShiftView> {
      const changes = parseInput(updateShiftInput, input, 'payload')
      const before = await visibleShift(viewer, id)
      const next = {
        userId: changes.userId ?? before.userId,
        queueId: changes.queueId === undefined ? before.queueId : changes.queueId,
        startsAt: changes.startsAt ?? before.startsAt,
        endsAt: changes.endsAt ?? before.endsAt,
        note: changes.note ?? before.note,
      }
      checkSpan(next)
      if (next.userId !== before.userId) await checkAgents(viewer, [next.userId], 'userId')
      await checkQueue(next.queueId)
      const row = await writeLock(async () => {
        await checkOverlaps([next], id)
        return db.agentShift.update({ where: { id }, data: next })
      })
      await audit.record(actor, {
        action: 'workforce.shift.update',
        targetType: 'agent-shift',
        targetId: id,
        details: { ...changes, startsAt: next.startsAt.toISOString(), endsAt: next.endsAt.toISOString() },
      })
      return (await view([row]))[0]!
    },

    async remove(viewer: WorkforceViewer, actor: Actor, id: string): Promise<void> {
      const row = await visibleShift(viewer, id)
      await db.agentShift.delete({ where: { id } })
      await audit.record(actor, {
        action: 'workforce.shift.delete',
        targetType: 'agent-shift',
        targetId: id,
        details: { userId: row.userId, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() },
      })
    },
  }
}
export type WorkforceService = ReturnType<typeof createWorkforceService>
