import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import {
  createKbEntryInput,
  kbEntryDto,
  kbHitDto,
  kbSearchInput,
  listKbEntriesQuery,
  updateKbEntryInput,
} from './kb-dto.js'
import type { KbService } from './kb-service.js'

const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const tags = ['knowledge base']

export function kbRoutes(kb: KbService): ServerRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/kb/search',
      access: 'agent',
      tags,
      summary: "Find the FAQ entries that answer a customer's question",
      description:
        'Entries best first, each with a score from 0 to 1. Empty when nothing fits (no entry scores 0.25, or the given threshold).',
      payload: kbSearchInput,
      response: z.array(kbHitDto),
      handler: async ({ payload }) => kb.search(payload.text, { limit: payload.limit, threshold: payload.threshold }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/kb/entries',
      access: 'agent',
      tags,
      summary: 'List knowledge-base entries (by id)',
      query: listKbEntriesQuery,
      response: z.array(kbEntryDto),
      handler: async ({ query }) => kb.list(query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/kb/entries',
      access: 'admin',
      tags,
      summary: 'Create a knowledge-base entry',
      payload: createKbEntryInput,
      response: kbEntryDto,
      status: 201,
      handler: async ({ payload, actor }) => kb.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/kb/entries/{id}',
      access: 'agent',
      tags,
      summary: 'One knowledge-base entry',
      params: idParams,
      response: kbEntryDto,
      handler: async ({ params }) => kb.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/kb/entries/{id}',
      access: 'admin',
      tags,
      summary: 'Change a knowledge-base entry',
      params: idParams,
      payload: updateKbEntryInput,
      response: kbEntryDto,
      handler: async ({ params, payload, actor }) => kb.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/kb/entries/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a knowledge-base entry',
      params: idParams,
      handler: async ({ params, actor }) => kb.remove(actor, params.id),
    }),
  ]
}
