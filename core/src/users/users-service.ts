import { hashPassword, verifyPassword, type AuthService } from '../auth/index.js'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import { parseInput } from '../validation/parse-input.js'
import type { LockManager } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { createUserInput, type CreateUserInput, type UpdateUserInput, type UserView } from './user-dto.js'

const withTeams = { teams: { include: { team: { select: { id: true, name: true } } } } } as const
type UserRow = Awaited<ReturnType<Db['user']['findFirstOrThrow']>> & {
  teams: Array<{ team: { id: string; name: string } }>
}

function toView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as UserView['role'],
    locale: u.locale as UserView['locale'],
    active: u.active,
    teams: u.teams.map((t) => t.team),
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  }
}

export type UsersService = ReturnType<typeof createUsersService>

export function createUsersService({
  db,
  audit,
  auth,
  locks,
  passwordCost,
}: {
  db: Db
  audit: AuditLog
  auth: AuthService
  locks: LockManager
  passwordCost: number
}) {
  async function assertTeamsExist(teamIds: string[]) {
    if (teamIds.length === 0) return
    const found = await db.team.count({ where: { id: { in: teamIds } } })
    if (found !== new Set(teamIds).size)
      throw userError(ErrorCode.VALIDATION, 'teamIds names a team that does not exist', {
        details: [{ path: 'teamIds', message: 'unknown team' }],
      })
  }

  /** Refuses a change that would leave no active admin (nobody could administer the install). */
  async function assertAdminRemains(userId: string, change: UpdateUserInput) {
    const demotes = change.role !== undefined && change.role !== 'admin'
    if (!demotes && change.active !== false) return
    const user = await db.user.findUnique({ where: { id: userId } })
    if (user?.role !== 'admin' || !user.active) return
    const admins = await db.user.count({ where: { role: 'admin', active: true } })
    if (admins <= 1)
      throw userError(ErrorCode.LAST_ADMIN, 'This is the last active admin; make another user admin first', {
        status: 409,
      })
  }

  return {
    async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
      const data = parseInput(createUserInput, input)
      await assertTeamsExist(data.teamIds)
      if (await db.user.findUnique({ where: { email: data.email } })) {
        throw userError(ErrorCode.EMAIL_TAKEN, `A user with email ${data.email} already exists`, {
          status: 409,
          details: [{ path: 'email', message: 'taken' }],
        })
      }
      const passwordHash = await hashPassword(data.password, passwordCost)
      const user = await db.$transaction(async (tx) => {
        const created = await tx.user.create({
          data: {
            email: data.email,
            name: data.name ?? data.email.split('@')[0]!,
            passwordHash,
            role: data.role,
            locale: data.locale,
            teams: { create: data.teamIds.map((teamId) => ({ teamId })) },
          },
          include: withTeams,
        })
        await audit.record(
          actor,
          {
            action: 'user.create',
            targetType: 'user',
            targetId: created.id,
            details: { email: created.email, role: created.role },
          },
          tx as Db,
        )
        return created
      })
      return toView(user)
    },

    async list(filter: { role?: string; active?: boolean; teamId?: string; limit: number }): Promise<UserView[]> {
      const rows = await db.user.findMany({
        where: {
          role: filter.role,
          active: filter.active,
          teams: filter.teamId ? { some: { teamId: filter.teamId } } : undefined,
        },
        orderBy: { email: 'asc' },
        take: filter.limit,
        include: withTeams,
      })
      return rows.map(toView)
    },

    /** Every active user's id and name, for everyone signed in (mentions, transfers): nothing more. */
    async directory(): Promise<Array<{ id: string; name: string }>> {
      return db.user.findMany({ where: { active: true }, select: { id: true, name: true }, orderBy: { name: 'asc' } })
    },

    async get(id: string): Promise<UserView> {
      const row = await db.user.findUnique({ where: { id }, include: withTeams })
      if (!row) throw userError(ErrorCode.NOT_FOUND, `No user ${id}`, { status: 404 })
      return toView(row)
    },

    async update(actor: Actor, id: string, change: UpdateUserInput): Promise<UserView> {
      // changes that can remove an admin are serialised, so two at once cannot leave none
      const touchesAdmins = (change.role !== undefined && change.role !== 'admin') || change.active === false
      if (touchesAdmins)
        return locks.withLock('users.admins', { ttlMs: 30_000, waitMs: 15_000 }, () =>
          this.applyUpdate(actor, id, change),
        )
      return this.applyUpdate(actor, id, change)
    },

    async applyUpdate(actor: Actor, id: string, change: UpdateUserInput): Promise<UserView> {
      await this.get(id)
      await assertAdminRemains(id, change)
      if (change.teamIds) await assertTeamsExist(change.teamIds)
      const passwordHash = change.password ? await hashPassword(change.password, passwordCost) : undefined
      const updated = await db.$transaction(async (tx) => {
        if (change.teamIds) await tx.teamMember.deleteMany({ where: { userId: id } })
        const row = await tx.user.update({
          where: { id },
          data: {
            name: change.name,
            role: change.role,
            locale: change.locale,
            active: change.active,
            passwordHash,
            teams: change.teamIds ? { create: change.teamIds.map((teamId) => ({ teamId })) } : undefined,
          },
          include: withTeams,
        })
        const changed = Object.keys(change).map((k) => (k === 'password' ? 'password (changed)' : k))
        await audit.record(
          actor,
          {
            action: 'user.update',
            targetType: 'user',
            targetId: id,
            details: { changed, role: change.role, active: change.active },
          },
          tx as Db,
        )
        return row
      })
      // a new password, a lost role or a deactivation must not leave old logins working
      if (change.password || change.role || change.active === false) await auth.endSessionsOf(id)
      return toView(updated)
    },

    /** A user changing their own name, language or password (the current password is required for a new one). */
    async updateProfile(
      userId: string,
      sessionId: string | undefined,
      change: { name?: string; locale?: string; password?: string; currentPassword?: string },
    ) {
      const user = await db.user.findUniqueOrThrow({ where: { id: userId } })
      if (change.password) {
        if (!change.currentPassword || !(await verifyPassword(change.currentPassword, user.passwordHash))) {
          throw userError(ErrorCode.INVALID_CREDENTIALS, 'currentPassword is wrong', {
            status: 400,
            details: [{ path: 'currentPassword', message: 'wrong password' }],
          })
        }
      }
      const row = await db.user.update({
        where: { id: userId },
        data: {
          name: change.name,
          locale: change.locale,
          passwordHash: change.password ? await hashPassword(change.password, passwordCost) : undefined,
        },
        include: withTeams,
      })
      if (change.password) await auth.endSessionsOf(userId, sessionId)
      return toView(row)
    },
  }
}
