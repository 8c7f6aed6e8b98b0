import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { MAX_ATTACHMENT_BYTES } from './agent-uploads.js'
import { viewerOf } from './conversation-access.js'
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

/** An inbox row: the conversation and what the list shows beside it. */
export const inboxRowDto = conversationDto.extend({
  contact: z.object({
    name: z.string().nullable(),
    address: z.string().nullable().describe("the customer's address on the conversation's channel"),
    tags: z.array(z.string()),
  }),
  lastMessage: z
    .object({
      body: z.string().describe('the first 140 characters'),
      direction: z.string(),
      kind: z.string(),
      by: z.string().nullable().describe('bot | agent for outbound messages'),
      createdAt: z.date(),
    })
    .nullable(),
  unread: z.number().describe("the customer's messages you have not read"),
  waitingSince: z.date().nullable().describe('since when the customer waits for an answer; null: nobody waits'),
  sla: z
    .object({ state: z.string().describe('ok | warning | breached'), dueAt: z.date().nullable() })
    .nullable()
    .describe('the most urgent running SLA clock of the conversation (its own or its open ticket’s); null: none'),
  cursor: z.string().describe('pass as `cursor` to get the rows after this one'),
})

const viewCountDto = z.object({ open: z.number(), unread: z.number() })

export function conversationsRoutes(conversations: ConversationsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations',
      access: 'agent',
      tags,
      summary:
        'The inbox: conversations you may see, the most recently active first (open ones unless a status is given)',
      description:
        "An agent sees the conversations assigned to them and those of their queues; supervisors see all. `view` narrows it: `mine`, `queues` (the queues you belong to) or `all` (supervisors; 403 for agents). `q` searches message text and the contact's name and addresses. Each row carries its contact, last message, your unread count and a `cursor`: pass the last row's as `cursor` for the next page.",
      query: z.strictObject({
        view: z.enum(['mine', 'queues', 'all']).optional(),
        id: z.string().max(64).optional().describe('just this conversation, if it is in the view (refreshing one row)'),
        status: z.enum(['bot', 'queued', 'assigned', 'resolved']).optional(),
        queueId: z.string().max(64).optional(),
        assigneeId: z.string().max(64).optional(),
        contactId: z.string().max(64).optional(),
        channel: z.string().max(32).optional(),
        tag: z.string().trim().min(1).max(50).optional(),
        priority: z.coerce.number().int().min(0).max(100).optional().describe('at least this priority'),
        q: z.string().trim().max(200).optional(),
        cursor: z.string().max(400).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: z.array(inboxRowDto),
      handler: async ({ query, credentials }) => conversations.list(query, viewerOf(credentials!)),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations/inbox',
      access: 'agent',
      tags,
      summary: 'Your inbox views with their open and unread counts, and the queues (yours marked)',
      response: z.object({
        views: z.object({ mine: viewCountDto, queues: viewCountDto, all: viewCountDto.nullable() }),
        queues: z.array(z.object({ id: z.string(), name: z.string(), member: z.boolean() })),
      }),
      handler: async ({ credentials }) => conversations.inbox(viewerOf(credentials!)),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/read',
      access: 'agent',
      tags,
      summary: 'Mark the thread read up to a sequence number (its last message when not given)',
      params: idParams,
      payload: z.strictObject({ seq: z.number().int().min(0).optional() }),
      response: z.object({ lastReadSeq: z.number() }),
      handler: async ({ params, payload, credentials }) =>
        conversations.markRead(viewerOf(credentials!), params.id, payload.seq),
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
      description:
        'A note may mention users (`mentions`: their ids, from GET /api/v1/users/directory); they are kept in its payload.',
      params: idParams,
      payload: z.strictObject({
        text: z.string().trim().min(1).max(20_000),
        internal: z.boolean().default(false),
        mentions: z.array(z.string().min(1).max(64)).max(20).optional(),
      }),
      response: messageDto,
      status: 201,
      handler: async ({ params, payload, actor, credentials }) =>
        conversations.post(actor, params.id, payload, viewerOf(credentials!)),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/attachments',
      access: 'agent',
      tags,
      summary: 'Send the customer an image or file (the body is the file; PNG, JPEG, GIF, WebP, PDF or text, 5 MB)',
      description:
        "The file's type is its Content-Type; `name` is the file name the customer sees. It is stored where the channel serves uploads and sent as a media message.",
      params: idParams,
      query: z.strictObject({ name: z.string().trim().min(1).max(200).default('attachment') }),
      rawPayload: { maxBytes: MAX_ATTACHMENT_BYTES },
      response: messageDto,
      status: 201,
      handler: async ({ params, query, payload, request, actor, credentials }) =>
        conversations.attach(actor, viewerOf(credentials!), params.id, {
          mimeType: String(request.headers['content-type'] ?? '')
            .split(';')[0]!
            .trim()
            .toLowerCase(),
          name: query.name,
          data: Buffer.isBuffer(payload) ? payload : Buffer.alloc(0),
        }),
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
