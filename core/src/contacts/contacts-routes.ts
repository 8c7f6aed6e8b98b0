import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { contactHistoryDto } from './contact-history.js'
import { contactDto, createContactInput, identityInput, listContactsQuery, updateContactInput } from './contact-dto.js'
import type { AuditLog } from '../audit/index.js'
import type { ContactsService } from './contacts-service.js'

const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const tags = ['contacts']

export function contactsRoutes(contacts: ContactsService, audit: AuditLog): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/contacts',
      access: 'agent',
      tags,
      summary: 'Find contacts (by phone, email, tag, or a part of the name, email or phone)',
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
      method: 'GET',
      path: '/api/v1/contacts/{id}/history',
      access: 'agent',
      tags,
      summary: "A contact's past conversations (every channel) and tickets, newest first",
      params: idParams,
      response: contactHistoryDto,
      handler: async ({ params }) => contacts.history(params.id),
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
    defineRoute({
      method: 'POST',
      path: '/api/v1/contacts/{id}/merge',
      access: 'agent',
      tags,
      summary: 'Merge another contact into this one (the same person): identities, conversations and tickets move over',
      description:
        "The other contact's tags join; its attributes and personal data fill only what this one lacks. Its id keeps working and leads here.",
      params: idParams,
      payload: z.strictObject({ from: z.string().min(1).max(64) }),
      response: contactDto,
      handler: async ({ params, payload, actor }) => {
        const merged = await contacts.merge(params.id, payload.from)
        await audit.record(actor, {
          action: 'contact.merged',
          targetType: 'contact',
          targetId: params.id,
          details: { from: payload.from },
        })
        return merged
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/contacts/{id}/identities',
      access: 'agent',
      tags,
      summary:
        'Add a channel identity; a verified one that belongs to another contact merges that contact into this one',
      params: idParams,
      payload: identityInput,
      response: z.object({ contact: contactDto, merged: z.string().nullable() }),
      status: 201,
      handler: async ({ params, payload, actor }) => {
        const result = await contacts.addIdentity(params.id, { ...payload, verified: payload.verified ?? false })
        if (result.merged)
          await audit.record(actor, {
            action: 'contact.merged',
            targetType: 'contact',
            targetId: params.id,
            details: { from: result.merged, by: 'verified identity' },
          })
        return result
      },
    }),
  ]
}
