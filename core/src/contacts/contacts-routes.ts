import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { contactDto, createContactInput, listContactsQuery, updateContactInput } from './contact-dto.js'
import type { ContactsService } from './contacts-service.js'

const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const tags = ['contacts']

export function contactsRoutes(contacts: ContactsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/contacts',
      access: 'agent',
      tags,
      summary: 'Find contacts (by phone, email or tag)',
      query: listContactsQuery,
      response: z.array(contactDto),
      handler: async ({ query }) => contacts.list(query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/contacts',
      access: 'agent',
      tags,
      summary: 'Create a contact with its channel identities',
      description: 'Name, email, phone and address are encrypted at rest. Phone numbers are stored in E.164 form.',
      payload: createContactInput,
      response: contactDto,
      status: 201,
      handler: async ({ payload }) => contacts.create(payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/contacts/{id}',
      access: 'agent',
      tags,
      summary: 'One contact',
      params: idParams,
      response: contactDto,
      handler: async ({ params }) => contacts.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/contacts/{id}',
      access: 'agent',
      tags,
      summary: 'Change a contact (null clears a field)',
      params: idParams,
      payload: updateContactInput,
      response: contactDto,
      handler: async ({ params, payload }) => contacts.update(params.id, payload),
    }),
  ]
}
