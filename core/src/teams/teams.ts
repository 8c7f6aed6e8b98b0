import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { Actor, AuditLog } from '../audit/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import { parseInput } from '../validation/parse-input.js'
import { defineRoute } from '../http/define-route.js'
import type { EventBus } from '../infra/index.js'
import type { Db } from '../storage/index.js'

export const teamDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  members: z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string() })),
  createdAt: z.date(),
})
export type TeamView = z.infer<typeof teamDto>

const teamInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).default(''),
})
const teamPatch = z
  .strictObject({ name: z.string().trim().min(1).max(100), description: z.string().max(1000) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const memberParams = z.strictObject({ id: z.string().min(1).max(64), userId: z.string().min(1).max(64) })

const include = {
  members: { include: { user: { select: { id: true, email: true, name: true, role: true } } } },
} as const

export type TeamsService = ReturnType<typeof createTeamsService>

/**
 * Teams and their members. Changes are published on the bus (`team.created`, `team.updated`,
 * `team.deleted`, `team.members`) when a bus is given, so what depends on who is in which team
 * (what supervisors see) follows at once on every instance.
 */
export function createTeamsService(db: Db, audit: AuditLog, bus?: EventBus) {
  const announce = async (topic: string, event: { teamId: string; userId?: string }) => {
    await bus?.publish(topic, event)
  }
  const view = (t: {
    id: string
    name: string
    description: string
    createdAt: Date
    members: Array<{ user: TeamView['members'][number] }>
  }): TeamView => ({
    id: t.id,
    name: t.name,
    description: t.description,
    createdAt: t.createdAt,
    members: t.members.map((m) => m.user),
  })
  const assertNameFree = async (name: string, exceptId?: string) => {
    const existing = await db.team.findUnique({ where: { name } })
    if (existing && existing.id !== exceptId)
      throw userError(ErrorCode.TEAM_NAME_TAKEN, `A team named "${name}" already exists`, { status: 409 })
  }
  const get = async (id: string) => {
    const team = await db.team.findUnique({ where: { id }, include })
    if (!team) throw userError(ErrorCode.NOT_FOUND, `No team ${id}`, { status: 404 })
    return view(team)
  }
  return {
    get,
    async list() {
      return (await db.team.findMany({ orderBy: { name: 'asc' }, include })).map(view)
    },
    async create(actor: Actor, input: z.input<typeof teamInput>) {
      const data = parseInput(teamInput, input)
      await assertNameFree(data.name)
      const team = await db.team.create({ data, include })
      await audit.record(actor, {
        action: 'team.create',
        targetType: 'team',
        targetId: team.id,
        details: { name: team.name },
      })
      await announce('team.created', { teamId: team.id })
      return view(team)
    },
    async update(actor: Actor, id: string, change: z.infer<typeof teamPatch>) {
      await get(id)
      if (change.name) await assertNameFree(change.name, id)
      const team = await db.team.update({ where: { id }, data: change, include })
      await audit.record(actor, { action: 'team.update', targetType: 'team', targetId: id, details: change })
      await announce('team.updated', { teamId: id })
      return view(team)
    },
    async remove(actor: Actor, id: string) {
      const team = await get(id)
      await db.team.delete({ where: { id } })
      await audit.record(actor, {
        action: 'team.delete',
        targetType: 'team',
        targetId: id,
        details: { name: team.name },
      })
      await announce('team.deleted', { teamId: id })
    },
    async addMember(actor: Actor, id: string, userId: string) {
      await get(id)
      if (!(await db.user.findUnique({ where: { id: userId } })))
        throw userError(ErrorCode.NOT_FOUND, `No user ${userId}`, { status: 404 })
      await db.teamMember.upsert({
        where: { teamId_userId: { teamId: id, userId } },
        create: { teamId: id, userId },
        update: {},
      })
      await audit.record(actor, { action: 'team.add-member', targetType: 'team', targetId: id, details: { userId } })
      await announce('team.members', { teamId: id, userId })
      return get(id)
    },
    async removeMember(actor: Actor, id: string, userId: string) {
      const removed = await db.teamMember.deleteMany({ where: { teamId: id, userId } })
      if (removed.count === 0)
        throw userError(ErrorCode.NOT_FOUND, `User ${userId} is not a member of team ${id}`, { status: 404 })
      await audit.record(actor, { action: 'team.remove-member', targetType: 'team', targetId: id, details: { userId } })
      await announce('team.members', { teamId: id, userId })
      return get(id)
    },
  }
}

const tags = ['teams']

export function teamsRoutes(teams: TeamsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/teams',
      access: 'agent',
      tags,
      summary: 'List teams with their members',
      response: z.array(teamDto),
      handler: async () => teams.list(),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/teams/{id}',
      access: 'agent',
      tags,
      summary: 'One team',
      params: idParams,
      response: teamDto,
      handler: async ({ params }) => teams.get(params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/teams',
      access: 'admin',
      tags,
      summary: 'Create a team',
      payload: teamInput,
      response: teamDto,
      status: 201,
      handler: async ({ payload, actor }) => teams.create(actor, payload),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/teams/{id}',
      access: 'admin',
      tags,
      summary: 'Rename or describe a team',
      params: idParams,
      payload: teamPatch,
      response: teamDto,
      handler: async ({ params, payload, actor }) => teams.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/teams/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a team (its members stay users)',
      params: idParams,
      handler: async ({ params, actor }) => teams.remove(actor, params.id),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/teams/{id}/members/{userId}',
      access: 'admin',
      tags,
      summary: 'Add a user to a team',
      params: memberParams,
      response: teamDto,
      handler: async ({ params, actor }) => teams.addMember(actor, params.id, params.userId),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/teams/{id}/members/{userId}',
      access: 'admin',
      tags,
      summary: 'Remove a user from a team',
      params: memberParams,
      response: teamDto,
      handler: async ({ params, actor }) => teams.removeMember(actor, params.id, params.userId),
    }),
  ]
}
