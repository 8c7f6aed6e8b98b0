import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { EventBus } from '../infra/index.js'
import { DbNull, type Db, type Prisma } from '../storage/index.js'
import { queueVisibility, type Viewer } from '../routing/index.js'
import { parseInput } from '../validation/parse-input.js'
import type { QueueView } from './queue-dto.js'
import { createQueueInput, updateQueueInput, type CreateQueueInput, type UpdateQueueInput } from './queue-input.js'
import { createQueueMembers } from './queue-members.js'
import { queueView, withMembers, type QueueRow } from './queue-view.js'
import { countWaiting } from './waiting-counts.js'

export interface QueuesDeps {
  db: Db
  bus: EventBus
  audit: AuditLog
}

/**
 * Queues as admins configure them: settings, business hours, team, members. Every change is
 * audited and published on the bus (`queue.created`, `queue.updated`, `queue.deleted`,
 * `queue.members`), which makes the router plan again at once. Reads are scoped by team.
 */
export function createQueuesService(deps: QueuesDeps) {
  const { db, bus, audit } = deps

  async function views(rows: QueueRow[]): Promise<QueueView[]> {
    const waiting = await countWaiting(
      db,
      rows.map((r) => r.id),
    )
    const now = new Date()
    return rows.map((row) => queueView(row, waiting.get(row.id), now))
  }

  async function rowOf(id: string): Promise<QueueRow> {
    const row = await db.queue.findUnique({ where: { id }, include: withMembers })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No queue ${id}`, { status: 404 })
    return row
  }

  /** Whether the viewer sees the queue: their teams' and team-less queues, and those they work in. */
  const visibleTo = (viewer: Viewer) => queueVisibility(db, viewer)

  async function assertNameFree(name: string, exceptId?: string) {
    const existing = await db.queue.findUnique({ where: { name }, select: { id: true } })
    if (existing && existing.id !== exceptId)
      throw userError(ErrorCode.QUEUE_NAME_TAKEN, `A queue named "${name}" already exists`, {
        status: 409,
        details: [{ in: 'payload', path: 'name', message: 'taken' }],
      })
  }

  async function assertTeamExists(teamId: string | null | undefined) {
    if (!teamId) return
    if (!(await db.team.findUnique({ where: { id: teamId }, select: { id: true } })))
      throw userError(ErrorCode.NOT_FOUND, `No team ${teamId}`, {
        status: 404,
        details: [{ in: 'payload', path: 'teamId', message: 'no such team' }],
      })
  }

  async function get(viewer: Viewer, id: string): Promise<QueueView> {
    const row = await rowOf(id)
    if (!(await visibleTo(viewer))(row))
      throw userError(
        ErrorCode.FORBIDDEN,
        `Queue ${id} belongs to a team you are not in; its team's supervisors and admins see it`,
        { status: 403 },
      )
    return (await views([row]))[0]!
  }

  const changed = async (topic: string, queueId: string) => bus.publish(topic, { queueId })
  const members = createQueueMembers({ db, audit, rowOf, changed, view: async (row) => (await views([row]))[0]! })

  return {
    get,
    ...members,

    async list(viewer: Viewer): Promise<QueueView[]> {
      const rows = await db.queue.findMany({ orderBy: { name: 'asc' }, include: withMembers })
      const visible = await visibleTo(viewer)
      return views(rows.filter(visible))
    },

    async create(actor: Actor, input: CreateQueueInput): Promise<QueueView> {
      const data = parseInput(createQueueInput, input)
      await assertNameFree(data.name)
      await assertTeamExists(data.teamId)
      const row = await db.queue.create({
        data: toColumns(data) as Prisma.QueueUncheckedCreateInput,
        include: withMembers,
      })
      await audit.record(actor, {
        action: 'queue.create',
        targetType: 'queue',
        targetId: row.id,
        details: { name: row.name },
      })
      await changed('queue.created', row.id)
      return (await views([row]))[0]!
    },

    async update(actor: Actor, id: string, input: UpdateQueueInput): Promise<QueueView> {
      const change = parseInput(updateQueueInput, input)
      await rowOf(id)
      if (change.name) await assertNameFree(change.name, id)
      await assertTeamExists(change.teamId)
      const row = await db.queue.update({ where: { id }, data: toColumns(change), include: withMembers })
      await audit.record(actor, { action: 'queue.update', targetType: 'queue', targetId: id, details: change })
      await changed('queue.updated', id)
      return (await views([row]))[0]!
    },

    /**
     * Deletes a queue nobody waits in (one statement, so a conversation queued meanwhile keeps it).
     * Conversations in progress and past ones keep their agent and history without a queue.
     */
    async remove(actor: Actor, id: string): Promise<void> {
      const row = await rowOf(id)
      const deleted = await db.queue.deleteMany({ where: { id, conversations: { none: { status: 'queued' } } } })
      if (deleted.count === 0) {
        const waiting = await db.conversation.count({ where: { queueId: id, status: 'queued' } })
        throw userError(
          ErrorCode.QUEUE_NOT_EMPTY,
          `${waiting} conversation(s) wait in queue "${row.name}"; transfer them to another queue (POST /api/v1/conversations/{id}/transfer) or let agents serve them, then delete it`,
          { status: 409, details: { waiting } },
        )
      }
      await audit.record(actor, {
        action: 'queue.delete',
        targetType: 'queue',
        targetId: id,
        details: { name: row.name },
      })
      await changed('queue.deleted', id)
    },
  }
}
export type QueuesService = ReturnType<typeof createQueuesService>

/** The columns of parsed settings (business hours stored as JSON, or SQL NULL for none). */
function toColumns<T extends { businessHours?: unknown; requiredSkills?: unknown }>(data: T) {
  const { businessHours, requiredSkills, ...rest } = data
  return {
    ...rest,
    ...(requiredSkills !== undefined ? { requiredSkills: requiredSkills as Prisma.InputJsonValue } : {}),
    ...(businessHours !== undefined
      ? { businessHours: businessHours === null ? DbNull : (businessHours as Prisma.InputJsonValue) }
      : {}),
  }
}
