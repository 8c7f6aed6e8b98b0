import type { Readable } from 'node:stream'
import type { Request, RouteOptions, ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../auth/index.js'
import { ErrorCode, isSwitchboardError, userError } from '../errors/index.js'
import { defineRoute } from '../http/define-route.js'
import { pageLanguage, renderNotFoundPage, renderStatusPage } from './status-page.js'
import { ticketViewerOf, type TicketViewer } from './ticket-access.js'
import { MAX_TICKET_FILE_BYTES, TICKET_FILE_TYPES } from './ticket-files.js'
import type { TicketActor } from './ticket-kernel.js'
import type { TicketsService } from './tickets-service.js'
import {
  addNoteInput,
  createFromConversationInput,
  createTicketInput,
  escalateTicketInput,
  linkConversationInput,
  listTicketsQuery,
  mergeTicketInput,
  publicTicketStatusDto,
  reopenTicketInput,
  splitTicketInput,
  ticketAttachmentDto,
  ticketDetailDto,
  ticketHistoryItemDto,
  ticketListDto,
  ticketNoteDto,
  ticketSettingsDto,
  ticketSettingsInput,
  updateTicketInput,
} from './tickets-dto.js'

const tags = ['tickets']
const ticketParams = z.strictObject({ id: z.coerce.number().int().positive().describe('the ticket number') })
const tokenParams = z.strictObject({ token: z.string().min(1).max(200) })
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/
const TYPE_OF_EXTENSION: Record<string, string> = {
  ...Object.fromEntries(Object.entries(TICKET_FILE_TYPES).map(([type, ext]) => [ext, type])),
  jpeg: 'image/jpeg',
}

const messageDto = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number(),
  direction: z.string(),
  kind: z.string(),
  body: z.string(),
  payload: z.unknown(),
  status: z.string(),
  authorUserId: z.string().nullable(),
  createdAt: z.date(),
})

/** The request's own address, for links when SWITCHBOARD_PUBLIC_URL is not set. */
const originOf = (request: Request) => `${request.server.info.protocol}://${request.info.host}`
const viewer = (credentials: AuthCredentials | null): TicketViewer => ticketViewerOf(credentials!)

export function ticketsRoutes(tickets: TicketsService): ServerRoute[] {
  const actorOf = (ctx: { actor: TicketActor; request: Request }): TicketActor => ({
    ...ctx.actor,
    origin: originOf(ctx.request),
  })
  /** 404 / 403 first: everything under /tickets/{id} is for those who may see the ticket. */
  const visible = (credentials: AuthCredentials | null, id: number) => tickets.visible(viewer(credentials), id)

  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/tickets',
      access: 'agent',
      tags,
      summary: 'Tickets you may see, with counts per status',
      description:
        'Admins (and supervisors in no team) see every ticket; supervisors in teams the tickets of their teams, those with no team and those assigned to their teammates; agents the tickets assigned to them, to their teams, or with no team. `counts` has the number of tickets per status for the same filters (without `status`).',
      query: listTicketsQuery,
      response: ticketListDto,
      handler: async ({ query, credentials }) => tickets.list(viewer(credentials), query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets',
      access: 'agent',
      tags,
      summary: 'Open a ticket (with a conversation: linked, and its contact taken)',
      payload: createTicketInput,
      response: ticketDetailDto,
      status: 201,
      handler: async (ctx) => {
        const { payload, credentials } = ctx
        if (payload.conversationId) await tickets.requireConversation(viewer(credentials), payload.conversationId)
        return tickets.create(actorOf(ctx), payload)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/ticket',
      access: 'agent',
      tags,
      summary: 'Open a ticket from a conversation: linked, its contact taken, the subject its first line by default',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      payload: createFromConversationInput,
      response: ticketDetailDto,
      status: 201,
      handler: async (ctx) => {
        await tickets.requireConversation(viewer(ctx.credentials), ctx.params.id)
        return tickets.create(actorOf(ctx), { ...ctx.payload, conversationId: ctx.params.id, source: 'agent' })
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tickets/settings',
      access: 'supervisor',
      tags,
      summary: 'Ticket settings: whether customers are told about their tickets in their conversation',
      response: ticketSettingsDto,
      handler: async () => tickets.settings(),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/tickets/settings',
      access: 'admin',
      tags,
      summary: 'Change the ticket settings',
      payload: ticketSettingsInput,
      response: ticketSettingsDto,
      handler: async (ctx) => tickets.updateSettings(ctx.actor, ctx.payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tickets/{id}',
      access: 'agent',
      tags,
      summary: 'One ticket: its fields, contact, linked conversations, attachments and status link',
      params: ticketParams,
      response: ticketDetailDto,
      handler: async ({ params, credentials, request }) => {
        await visible(credentials, params.id)
        return tickets.detail(params.id, originOf(request))
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/tickets/{id}',
      access: 'agent',
      tags,
      summary: 'Change status, priority, category, tier, team, assignee, subject or description',
      description:
        'Send the `version` you read to be sure nobody changed the ticket in between: a stale one is answered 409 and nothing is written. Setting a resolved or closed ticket back to open or pending reopens it.',
      params: ticketParams,
      payload: updateTicketInput,
      response: ticketDetailDto,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        return tickets.update(actorOf(ctx), ctx.params.id, ctx.payload)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets/{id}/escalate',
      access: 'agent',
      tags,
      summary: 'Escalate: hand the ticket to a higher tier, another team or person, with the reason',
      description:
        'Without `tier` it goes one tier up (L1 → L2 → L3). Moving it to another team without an `assigneeId` leaves it unassigned there and notifies the team’s members; with an assignee, that person is notified. The history keeps who escalated it, from where to where, and why.',
      params: ticketParams,
      payload: escalateTicketInput,
      response: ticketDetailDto,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        return tickets.escalate(actorOf(ctx), ctx.params.id, ctx.payload)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets/{id}/reopen',
      access: 'agent',
      tags,
      summary: 'Reopen a resolved or closed ticket, with the reason',
      params: ticketParams,
      payload: reopenTicketInput,
      response: ticketDetailDto,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        return tickets.reopen(actorOf(ctx), ctx.params.id, ctx.payload.reason)
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tickets/{id}/history',
      access: 'agent',
      tags,
      summary: 'The ticket’s history: every change, escalation, link, merge and note, in order',
      params: ticketParams,
      response: z.array(ticketHistoryItemDto),
      handler: async ({ params, credentials }) => {
        await visible(credentials, params.id)
        return tickets.history(params.id)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets/{id}/notes',
      access: 'agent',
      tags,
      summary: 'Add an internal note (never shown to the customer), optionally with uploaded files',
      params: ticketParams,
      payload: addNoteInput,
      response: ticketNoteDto,
      status: 201,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        return tickets.addNote(actorOf(ctx), ctx.params.id, ctx.payload)
      },
    }),
    multipart(
      defineRoute({
        method: 'POST',
        path: '/api/v1/tickets/{id}/attachments',
        access: 'agent',
        tags,
        summary: 'Upload a file to the ticket (multipart/form-data, field `file`; 10 MB)',
        description:
          'Images, PDF, text, CSV, ZIP, Word and Excel files. The answer’s `id` can be given to a note (`attachmentIds`) so the note carries the file.',
        params: ticketParams,
        rawPayload: { maxBytes: MAX_TICKET_FILE_BYTES },
        response: ticketAttachmentDto,
        status: 201,
        handler: async (ctx) => {
          await visible(ctx.credentials, ctx.params.id)
          const file = await uploadedFile(ctx.payload)
          return tickets.attach(actorOf(ctx), ctx.params.id, file)
        },
      }),
      MAX_TICKET_FILE_BYTES + 64 * 1024,
    ),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tickets/{id}/attachments/{attachmentId}',
      access: 'agent',
      tags,
      summary: 'Download an attachment',
      params: ticketParams.extend({ attachmentId: z.string().min(1).max(64) }),
      handler: async ({ params, credentials, h }) => {
        await visible(credentials, params.id)
        const { row, data } = await tickets.attachment(params.id, params.attachmentId)
        const disposition = row.mimeType.startsWith('image/') ? 'inline' : 'attachment'
        return h
          .response(data)
          .type(row.mimeType)
          .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(row.fileName)}`)
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('cache-control', 'private, no-store')
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets/{id}/conversations',
      access: 'agent',
      tags,
      summary: 'Link another conversation to the ticket',
      params: ticketParams,
      payload: linkConversationInput,
      response: ticketDetailDto,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        await tickets.requireConversation(viewer(ctx.credentials), ctx.payload.conversationId)
        return tickets.linkConversation(actorOf(ctx), ctx.params.id, ctx.payload.conversationId)
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tickets/{id}/conversations/{conversationId}/messages',
      access: 'agent',
      tags,
      summary: 'The thread of a linked conversation, for whoever may see the ticket (its new team after an escalation)',
      params: ticketParams.extend({ conversationId: z.string().min(1).max(64) }),
      query: z.strictObject({
        afterSeq: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(messageDto),
      handler: async ({ params, query, credentials }) => {
        await visible(credentials, params.id)
        return tickets.conversationMessages(params.id, params.conversationId, query, viewer(credentials))
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets/{id}/merge',
      access: 'agent',
      tags,
      summary: 'Merge this ticket into another: its conversations, notes and files move there, and it is closed',
      params: ticketParams,
      payload: mergeTicketInput,
      response: ticketDetailDto,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        await visible(ctx.credentials, ctx.payload.intoId)
        return tickets.merge(actorOf(ctx), ctx.params.id, ctx.payload.intoId)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/tickets/{id}/split',
      access: 'agent',
      tags,
      summary: 'Split part of the ticket into a new one: the conversations and notes given move to it',
      params: ticketParams,
      payload: splitTicketInput,
      response: ticketDetailDto,
      status: 201,
      handler: async (ctx) => {
        await visible(ctx.credentials, ctx.params.id)
        return tickets.split(actorOf(ctx), ctx.params.id, ctx.payload)
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/public/tickets/{token}',
      access: 'public',
      tags,
      summary: 'A ticket’s status for the customer, by the token of their status link (no sign-in)',
      description: 'Only the number, subject, status and times: no notes, no names, no contact details.',
      params: tokenParams,
      response: publicTicketStatusDto,
      handler: async ({ params, h }) => {
        if (!TOKEN.test(params.token))
          throw userError(ErrorCode.NOT_FOUND, 'No ticket has this status link', { status: 404 })
        const status = await tickets.statusByToken(params.token)
        return h.response(status).header('cache-control', 'no-store').header('x-robots-tag', 'noindex')
      },
    }),
    {
      method: 'GET',
      path: '/tickets/status/{token}',
      options: {
        auth: false,
        security: { referrer: 'no-referrer', xframe: 'deny', noSniff: true, hsts: false, xss: 'disabled' },
        handler: async (request, h) => {
          const { token } = request.params as { token: string }
          const lang = pageLanguage(
            typeof request.query.lang === 'string' ? request.query.lang : undefined,
            String(request.headers['accept-language'] ?? ''),
          )
          const headers = (response: ReturnType<typeof h.response>) =>
            response
              .type('text/html; charset=utf-8')
              .header('cache-control', 'no-store')
              .header('x-robots-tag', 'noindex')
              .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          try {
            if (!TOKEN.test(token)) throw userError(ErrorCode.NOT_FOUND, 'unknown token', { status: 404 })
            return headers(h.response(renderStatusPage(await tickets.statusByToken(token), lang)))
          } catch (error) {
            if (isSwitchboardError(error) && error.code === ErrorCode.NOT_FOUND)
              return headers(h.response(renderNotFoundPage(lang)).code(404))
            throw error
          }
        },
      },
    },
  ]
}

/** Lets a route defined with a raw body take multipart/form-data instead (files as in-memory streams). */
function multipart(route: ServerRoute, maxBytes: number): ServerRoute {
  const options = route.options as RouteOptions
  return {
    ...route,
    options: {
      ...options,
      payload: {
        parse: true,
        output: 'data',
        multipart: { output: 'stream' },
        maxBytes,
        allow: 'multipart/form-data',
      },
    },
  }
}

type FilePart = Readable & { hapi?: { filename?: string; headers?: Record<string, string> } }

/** The `file` part of a multipart body: its bytes, name and type (guessed from the name when the browser sent none). */
async function uploadedFile(payload: unknown): Promise<{ fileName: string; mimeType: string; data: Buffer }> {
  const part = (payload as Record<string, unknown> | null)?.file as FilePart | undefined
  if (!part || typeof part !== 'object' || typeof part.on !== 'function' || !part.hapi)
    throw userError(ErrorCode.VALIDATION, 'file: send the file as the multipart/form-data field "file"', {
      details: [{ in: 'payload', path: 'file', message: 'missing' }],
    })
  const chunks: Buffer[] = []
  for await (const chunk of part) chunks.push(Buffer.from(chunk as Buffer))
  const fileName = (part.hapi.filename ?? '').trim() || 'attachment'
  let mimeType = String(part.hapi.headers?.['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
  if (!mimeType || mimeType === 'application/octet-stream')
    mimeType = TYPE_OF_EXTENSION[fileName.split('.').pop()?.toLowerCase() ?? ''] ?? mimeType
  if (mimeType === 'image/jpg') mimeType = 'image/jpeg'
  return { fileName, mimeType, data: Buffer.concat(chunks) }
}
