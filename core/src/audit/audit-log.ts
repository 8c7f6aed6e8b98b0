import type { Db, Prisma } from '../storage/index.js'

/** Who did something: a signed-in user, or the system itself (CLI, scheduled job). */
export interface Actor {
  userId: string | null
  email: string | null
  ip?: string | null
}

export const systemActor = (label = 'system'): Actor => ({ userId: null, email: label })

export interface AuditEntry {
  action: string
  targetType?: string
  targetId?: string
  details?: Record<string, unknown>
}

export interface AuditEventView {
  id: string
  at: Date
  actorUserId: string | null
  actorEmail: string | null
  action: string
  targetType: string | null
  targetId: string | null
  details: unknown
  ip: string | null
}

/** The audit log: administrative actions, who did them and when. Append-only. */
export interface AuditLog {
  record(actor: Actor, entry: AuditEntry, tx?: Db): Promise<void>
  list(filter: { action?: string; actorUserId?: string; before?: Date; limit: number }): Promise<AuditEventView[]>
}

export function createAuditLog(db: Db): AuditLog {
  return {
    async record(actor, entry, tx) {
      await (tx ?? db).auditEvent.create({
        data: {
          actorUserId: actor.userId,
          actorEmail: actor.email,
          ip: actor.ip ?? null,
          action: entry.action,
          targetType: entry.targetType ?? null,
          targetId: entry.targetId ?? null,
          details: (entry.details ?? {}) as Prisma.InputJsonValue,
        },
      })
    },
    async list({ action, actorUserId, before, limit }) {
      return db.auditEvent.findMany({
        where: { action, actorUserId, at: before ? { lt: before } : undefined },
        orderBy: { at: 'desc' },
        take: limit,
      })
    },
  }
}
