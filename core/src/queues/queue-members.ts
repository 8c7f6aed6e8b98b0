import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { Db } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import type { QueueView } from './queue-dto.js'
import { memberInput, replaceMembersInput, type ReplaceMembersInput } from './queue-input.js'
import type { QueueRow } from './queue-view.js'

interface MembersDeps {
  db: Db
  audit: AuditLog
  rowOf(id: string): Promise<QueueRow>
  changed(topic: string, queueId: string): Promise<void>
  view(row: QueueRow): Promise<QueueView>
}

/** Who works a queue: its members, and its standby members (they help once a conversation overflows). */
export function createQueueMembers(deps: MembersDeps) {
  const { db, audit, rowOf, changed, view } = deps

  /** Every user id must name a user; the unknown ones are listed with where they were given. */
  async function assertUsersExist(userIds: string[], path: (index: number) => string) {
    const found = new Set(
      (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true } })).map((u) => u.id),
    )
    const unknown = userIds.flatMap((id, index) => (found.has(id) ? [] : [{ id, path: path(index) }]))
    if (unknown.length > 0)
      throw userError(ErrorCode.NOT_FOUND, `No user ${unknown.map((u) => u.id).join(', ')}`, {
        status: 404,
        details: unknown.map((u) => ({ in: 'payload', path: u.path, message: `no user ${u.id}` })),
      })
  }

  async function after(actor: Actor, queueId: string, action: string, details: Record<string, unknown>) {
    await audit.record(actor, { action, targetType: 'queue', targetId: queueId, details })
    await changed('queue.members', queueId)
    return view(await rowOf(queueId))
  }

  return {
    /** Replaces the whole list at once (one transaction): whoever is not in it stops working the queue. */
    async replaceMembers(actor: Actor, queueId: string, input: ReplaceMembersInput): Promise<QueueView> {
      const { members } = parseInput(replaceMembersInput, input)
      await rowOf(queueId)
      await assertUsersExist(
        members.map((m) => m.userId),
        (i) => `members.${i}.userId`,
      )
      await db.$transaction([
        db.queueMember.deleteMany({ where: { queueId } }),
        db.queueMember.createMany({ data: members.map((m) => ({ queueId, userId: m.userId, standby: m.standby })) }),
      ])
      return after(actor, queueId, 'queue.members', { members })
    },

    /** Adds one member, or changes whether they are standby. */
    async setMember(
      actor: Actor,
      queueId: string,
      userId: string,
      input: { standby?: boolean } = {},
    ): Promise<QueueView> {
      const { standby } = parseInput(memberInput, input)
      await rowOf(queueId)
      if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } })))
        throw userError(ErrorCode.NOT_FOUND, `No user ${userId}`, { status: 404 })
      await db.queueMember.upsert({
        where: { queueId_userId: { queueId, userId } },
        create: { queueId, userId, standby },
        update: { standby },
      })
      return after(actor, queueId, 'queue.add-member', { userId, standby })
    },

    async removeMember(actor: Actor, queueId: string, userId: string): Promise<QueueView> {
      const row = await rowOf(queueId)
      const removed = await db.queueMember.deleteMany({ where: { queueId, userId } })
      if (removed.count === 0)
        throw userError(ErrorCode.NOT_FOUND, `User ${userId} is not a member of queue "${row.name}"`, { status: 404 })
      return after(actor, queueId, 'queue.remove-member', { userId })
    },
  }
}
