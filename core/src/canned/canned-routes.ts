import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../auth/index.js'
import { defineRoute } from '../http/define-route.js'
import {
  cannedDto,
  createCannedInput,
  listCannedQuery,
  previewCannedInput,
  renderedDto,
  updateCannedInput,
  variableDto,
} from './canned-dto.js'
import type { CannedService, CannedUser } from './canned-service.js'
import { CANNED_VARIABLES } from './canned-variables.js'

const tags = ['canned responses']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const userOf = (credentials: AuthCredentials | null): CannedUser => credentials!.user

export function cannedRoutes(canned: CannedService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/canned-responses',
      access: 'agent',
      tags,
      summary: 'Canned responses you may use (shared and your own), best matches first',
      description:
        'With `conversationId`, each carries `rendered`: its variables filled for that conversation, and the ones that could not be (`unknown` names, `missing` values) listed instead of blanked.',
      query: listCannedQuery,
      response: z.array(cannedDto),
      handler: async ({ query, credentials }) => canned.list(userOf(credentials), query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/canned-responses',
      access: 'agent',
      tags,
      summary: 'Create a canned response: shared (supervisors and admins) or personal',
      payload: createCannedInput,
      response: cannedDto,
      status: 201,
      handler: async ({ payload, credentials, actor }) => canned.create(userOf(credentials), actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/canned-responses/variables',
      access: 'agent',
      tags,
      summary: 'The variables a canned response may use, e.g. {{contact.name}}',
      description: 'Besides these, `{{contact.attributes.<key>}}` reads one of the contact’s attributes.',
      response: z.array(variableDto),
      handler: async () => CANNED_VARIABLES.map(({ name, description, example }) => ({ name, description, example })),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/canned-responses/preview',
      access: 'agent',
      tags,
      summary: 'Render a text with its variables, for a conversation or with example values',
      payload: previewCannedInput.extend({ language: z.enum(['en', 'zh-CN']).default('en') }),
      response: renderedDto,
      handler: async ({ payload, credentials }) =>
        canned.preview(userOf(credentials), payload.body, payload.conversationId, payload.language),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/canned-responses/{id}',
      access: 'agent',
      tags,
      summary: 'One canned response',
      params: idParams,
      response: cannedDto,
      handler: async ({ params, credentials }) => canned.get(userOf(credentials), params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/canned-responses/{id}',
      access: 'agent',
      tags,
      summary: 'Change a canned response (shared ones: supervisors and admins)',
      params: idParams,
      payload: updateCannedInput,
      response: cannedDto,
      handler: async ({ params, payload, credentials, actor }) =>
        canned.update(userOf(credentials), actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/canned-responses/{id}',
      access: 'agent',
      tags,
      summary: 'Delete a canned response (shared ones: supervisors and admins)',
      params: idParams,
      handler: async ({ params, credentials, actor }) => canned.remove(userOf(credentials), actor, params.id),
    }),
  ]
}
