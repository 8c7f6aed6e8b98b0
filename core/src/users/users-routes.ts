import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { idParams, createUserInput, listUsersQuery, updateProfileInput, updateUserInput, userDto } from './user-dto.js'
import type { UsersService } from './users-service.js'

const tags = ['users']

export function usersRoutes(users: UsersService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/users',
      access: 'supervisor',
      tags,
      summary: 'List users',
      query: listUsersQuery,
      response: z.array(userDto),
      handler: async ({ query }) => users.list(query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/users/directory',
      access: 'agent',
      tags,
      summary: 'Every active user, id and name only (to mention a colleague or transfer to them)',
      response: z.array(z.object({ id: z.string(), name: z.string() })),
      handler: async () => users.directory(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/users',
      access: 'admin',
      tags,
      summary: 'Create a user (admin, supervisor or agent)',
      payload: createUserInput,
      response: userDto,
      status: 201,
      handler: async ({ payload, actor }) => users.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/users/{id}',
      access: 'supervisor',
      tags,
      summary: 'One user',
      params: idParams,
      response: userDto,
      handler: async ({ params }) => users.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/users/{id}',
      access: 'admin',
      tags,
      summary: 'Change a user: name, role, language, password, teams, or deactivate (active: false)',
      description:
        'A new password, a role change or a deactivation ends the user’s current logins. The last active admin cannot be demoted or deactivated.',
      params: idParams,
      payload: updateUserInput,
      response: userDto,
      handler: async ({ params, payload, actor }) => users.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/auth/me',
      access: 'authenticated',
      tags: ['auth'],
      summary: 'Change your own name, language or password',
      payload: updateProfileInput,
      response: userDto,
      handler: async ({ payload, credentials }) =>
        users.updateProfile(credentials!.user.id, credentials!.sessionId, payload),
    }),
  ]
}
