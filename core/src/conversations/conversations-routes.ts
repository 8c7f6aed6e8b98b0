import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import type { ConversationsService } from './conversations-service.js'

const tags = ['conversations']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })

export const conversationDto = z.object({
  id: z.string(),
  contactId: z.string(),
  channel: z.string(),
  channelPlugin: z.string().nullable(),
  status: z.string().describe('bot | queued | assigned | resolved'),
  priority: z.number(),
  intent: z.string().nullable(),
  queueId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  tags: z.unknown(),
  attributes: z.unknown(),
  version: z.number().describe('increases with every change; drop realtime events older than this'),
  messageSeq: z.number(),
  lastMessageAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  resolvedAt: z.date().nullable(),
})

export const messageDto = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number(),
  channel: z.string(),
  direction: z.string().describe('inbound | outbound | internal'),
  kind: z.string().describe('text | media | system | note'),
  body: z.string(),
  payload: z.unknown(),
  status: z.string().describe('received | pending | sent | failed'),
  authorUserId: z.string().nullable(),
  createdAt: z.date(),
})

export function conversationsRoutes(conversations: ConversationsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations',
      access: 'agent',
      tags,
      summary: 'Conversations, the most recently active first (open ones unless a status is given)',
      query: z.strictObject({
        status: z.enum(['bot', 'queued', 'assigned', 'resolved']).optional(),
        queueId: z.string().max(64).optional(),
        assigneeId: z.string().max(64).optional(),
        contactId: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: z.array(conversationDto),
      handler: async ({ query }) => conversations.list(query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations/{id}',
      access: 'agent',
      tags,
      summary: 'One conversation',
      params: idParams,
      response: conversationDto,
      handler: async ({ params }) => conversations.get(params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations/{id}/messages',
      access: 'agent',
      tags,
      summary: "The thread, the bot's part and internal notes included, in order; resume after a sequence number",
      params: idParams,
      query: z.strictObject({
        afterSeq: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(messageDto),
      handler: async ({ params, query }) => conversations.messages(params.id, query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/messages',
      access: 'agent',
      tags,
      summary: 'Reply to the customer (sent on the channel), or add an internal note (internal: true)',
      params: idParams,
      payload: z.strictObject({ text: z.string().trim().min(1).max(20_000), internal: z.boolean().default(false) }),
      response: messageDto,
      status: 201,
      handler: async ({ params, payload, actor }) => conversations.post(actor, params.id, payload),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/typing',
      access: 'agent',
      tags,
      summary: 'Tell the customer an agent is typing (web chat shows it; not stored)',
      description:
        'Publishes `conversation.typing` with `from: agent`: the web chat widget shows "typing…" for a few seconds, and consoles watching the thread see it. Send it at most every few seconds while typing.',
      params: idParams,
      handler: async ({ params }) => conversations.typing(params.id, 'agent'),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/conversations/{id}',
      access: 'agent',
      tags,
      summary: 'Resolve or reopen; set tags or priority',
      params: idParams,
      payload: z.strictObject({
        status: z.enum(['resolved', 'open']).optional(),
        tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
        priority: z.number().int().min(0).max(100).optional(),
      }),
      response: conversationDto,
      handler: async ({ params, payload, actor }) => conversations.update(actor, params.id, payload),
    }),
  ]
}
