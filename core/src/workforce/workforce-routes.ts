import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../auth/index.js'
import { defineRoute } from '../http/define-route.js'
import { bulkShiftsInput, createShiftInput, listShiftsQuery, shiftDto, updateShiftInput } from './workforce-dto.js'
import type { WorkforceService, WorkforceViewer } from './workforce-service.js'

const tags = ['workforce']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const viewerOf = (credentials: AuthCredentials | null): WorkforceViewer => credentials!.user

export function workforceRoutes(workforce: WorkforceService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/workforce/shifts',
      access: 'supervisor',
      tags,
      summary: 'Shifts overlapping a range (of the agents you oversee)',
      query: listShiftsQuery,
      response: z.array(shiftDto),
      handler: async ({ query, credentials }) => workforce.list(viewerOf(credentials), query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/workforce/shifts',
      access: 'supervisor',
      tags,
      summary: 'Plan a shift for an agent (at most 16 h; 409 when it overlaps one of theirs)',
      payload: createShiftInput,
      response: shiftDto,
      status: 201,
      handler: async ({ payload, credentials, actor }) => workforce.create(viewerOf(credentials), actor, payload),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/workforce/shifts/bulk',
      access: 'supervisor',
      tags,
      summary: 'Plan a week pattern (weekdays, from–to in a time zone) for several agents: all shifts or none',
      payload: bulkShiftsInput,
      response: z.object({ created: z.number(), shifts: z.array(shiftDto) }),
      status: 201,
      handler: async ({ payload, credentials, actor }) => workforce.createBulk(viewerOf(credentials), actor, payload),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/workforce/shifts/{id}',
      access: 'supervisor',
      tags,
      summary: 'Change a shift (same checks as creating one)',
      params: idParams,
      payload: updateShiftInput,
      response: shiftDto,
      handler: async ({ params, payload, credentials, actor }) =>
        workforce.update(viewerOf(credentials), actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/workforce/shifts/{id}',
      access: 'supervisor',
      tags,
      summary: 'Delete a shift',
      params: idParams,
      handler: async ({ params, credentials, actor }) => {
        await workforce.remove(viewerOf(credentials), actor, params.id)
      },
    }),
  ]
}
