import type { Actor, AuditLog } from '../audit/index.js'
import { roleIncludes, type AuthUser } from '../auth/index.js'
import type { ContactsService } from '../contacts/index.js'
import { ErrorCode, userError } from '../errors/index.js'
import type { EventBus } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { parseInput } from '../validation/parse-input.js'
import {
  createCannedInput,
  updateCannedInput,
  type CannedView,
  type CreateCannedInput,
  type ListCannedQuery,
  type Rendered,
  type UpdateCannedInput,
} from './canned-dto.js'
import { exampleContext, renderCanned, type RenderContext } from './canned-variables.js'

/** Bus topic published after a canned response is created, changed or deleted. */
export const CANNED_CHANGED_TOPIC = 'canned-responses.changed'

/** the most responses one list reads before filtering (shared plus the caller's own) */
const SCAN_LIMIT = 2000

type CannedRow = Awaited<ReturnType<Db['cannedResponse']['findFirstOrThrow']>>

/** Who is asking: their own responses are visible to them only; shared ones need a supervisor to change. */
export type CannedUser = Pick<AuthUser, 'id' | 'role' | 'name' | 'email'>

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

function toView(row: CannedRow): CannedView {
  return {
    id: row.id,
    title: row.title,
    shortcut: row.shortcut,
    body: row.body,
    language: row.language,
    tags: strings(row.tags),
    shared: row.ownerId === null,
    ownerId: row.ownerId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export type CannedService = ReturnType<typeof createCannedService>

/**
 * Canned responses: saved replies agents insert by shortcut. Shared ones (managed by supervisors
 * and admins) are seen by everyone; personal ones only by the agent who wrote them. Variables are
 * filled in here, on the server, for the conversation at hand.
 */
export function createCannedService(deps: { db: Db; audit: AuditLog; bus: EventBus; contacts: ContactsService }) {
  const { db, audit, bus, contacts } = deps

  const visibleTo = (user: CannedUser) => ({ OR: [{ ownerId: null }, { ownerId: user.id }] })

  async function find(user: CannedUser, id: string): Promise<CannedRow> {
    const row = await db.cannedResponse.findFirst({ where: { id, ...visibleTo(user) } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `No canned response ${id}`, { status: 404 })
    return row
  }

  function mayChange(user: CannedUser, row: { ownerId: string | null }): void {
    if (row.ownerId === null && !roleIncludes(user.role, 'supervisor'))
      throw userError(
        ErrorCode.FORBIDDEN,
        'Shared canned responses are managed by supervisors and admins; create a personal one (shared: false)',
        { status: 403 },
      )
  }

  async function checkShortcutFree(
    ownerId: string | null,
    shortcut: string,
    language: string | null,
    exceptId?: string,
  ): Promise<void> {
    const taken = await db.cannedResponse.findFirst({
      where: { ownerId, shortcut, language, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    })
    if (taken)
      throw userError(
        ErrorCode.CONFLICT,
        `The shortcut /${shortcut} is taken by "${taken.title}"${language ? ` (${language})` : ''}`,
        { status: 409, details: [{ in: 'payload', path: 'shortcut', message: `taken by "${taken.title}"` }] },
      )
  }

  async function changed(actor: Actor, action: string, row: CannedRow, tx?: Db) {
    await audit.record(
      actor,
      {
        action,
        targetType: 'canned-response',
        targetId: row.id,
        details: { shortcut: row.shortcut, shared: row.ownerId === null },
      },
      tx,
    )
  }

  /** The conversation, its contact and the agent, for filling variables. */
  async function contextFor(conversationId: string, user: CannedUser): Promise<RenderContext> {
    const conversation = await db.conversation.findUnique({ where: { id: conversationId } })
    if (!conversation) throw userError(ErrorCode.NOT_FOUND, `No conversation ${conversationId}`, { status: 404 })
    const contact = await contacts.get(conversation.contactId).catch(() => null)
    return {
      contact,
      agent: { name: user.name, email: user.email },
      conversation: { id: conversation.id, channel: conversation.channel },
    }
  }

  function matches(view: CannedView, q: string): number {
    const query = q.trim().toLowerCase()
    if (query === '') return 1
    if (query.startsWith('/')) return view.shortcut.startsWith(query.slice(1)) ? 2 : 0
    if (view.shortcut.startsWith(query)) return 3
    const haystack = [view.title, view.body, ...view.tags].join('\n').toLowerCase()
    return haystack.includes(query) ? 1 : 0
  }

  return {
    contextFor,

    /** Renders any body for a conversation, or with example values when there is none (the editor's preview). */
    async preview(user: CannedUser, body: string, conversationId?: string, language: 'en' | 'zh-CN' = 'en') {
      const ctx = conversationId ? await contextFor(conversationId, user) : exampleContext(language)
      return renderCanned(body, ctx)
    },

    /** The responses the user may use, best matches first; rendered when a conversation is given. */
    async list(user: CannedUser, query: ListCannedQuery): Promise<CannedView[]> {
      const where =
        query.scope === 'shared' ? { ownerId: null } : query.scope === 'mine' ? { ownerId: user.id } : visibleTo(user)
      const rows = await db.cannedResponse.findMany({ where, orderBy: { shortcut: 'asc' }, take: SCAN_LIMIT })
      const ranked = rows
        .map(toView)
        .filter((v) => !query.language || v.language === null || v.language === query.language)
        .map((view) => ({ view, rank: matches(view, query.q ?? '') }))
        .filter((r) => r.rank > 0)
        .sort((a, b) => b.rank - a.rank || a.view.shortcut.localeCompare(b.view.shortcut))
        .slice(0, query.limit)
        .map((r) => r.view)
      if (!query.conversationId) return ranked
      const ctx = await contextFor(query.conversationId, user)
      return ranked.map((view) => ({ ...view, rendered: renderCanned(view.body, ctx) }))
    },

    /** Every response the user may use (the suggestions rank them). */
    async visible(user: CannedUser): Promise<CannedView[]> {
      const rows = await db.cannedResponse.findMany({ where: visibleTo(user), take: SCAN_LIMIT })
      return rows.map(toView)
    },

    render: (body: string, ctx: RenderContext): Rendered => renderCanned(body, ctx),

    async get(user: CannedUser, id: string): Promise<CannedView> {
      return toView(await find(user, id))
    },

    async create(user: CannedUser, actor: Actor, input: CreateCannedInput): Promise<CannedView> {
      const data = parseInput(createCannedInput, input)
      const ownerId = data.shared ? null : user.id
      mayChange(user, { ownerId })
      const language = data.language ?? null
      await checkShortcutFree(ownerId, data.shortcut, language)
      const row = await db.$transaction(async (tx) => {
        const created = await tx.cannedResponse.create({
          data: {
            title: data.title,
            shortcut: data.shortcut,
            body: data.body,
            language,
            tags: data.tags,
            ownerId,
            createdById: user.id,
          },
        })
        await changed(actor, 'canned-response.created', created, tx as never)
        return created
      })
      await bus.publish(CANNED_CHANGED_TOPIC, { id: row.id, change: 'created' })
      return toView(row)
    },

    async update(user: CannedUser, actor: Actor, id: string, change: UpdateCannedInput): Promise<CannedView> {
      const data = parseInput(updateCannedInput, change)
      const existing = await find(user, id)
      mayChange(user, existing)
      if (data.shortcut !== undefined || data.language !== undefined)
        await checkShortcutFree(
          existing.ownerId,
          data.shortcut ?? existing.shortcut,
          data.language !== undefined ? data.language : existing.language,
          id,
        )
      const row = await db.$transaction(async (tx) => {
        const updated = await tx.cannedResponse.update({ where: { id }, data })
        await changed(actor, 'canned-response.updated', updated, tx as never)
        return updated
      })
      await bus.publish(CANNED_CHANGED_TOPIC, { id, change: 'updated' })
      return toView(row)
    },

    async remove(user: CannedUser, actor: Actor, id: string): Promise<void> {
      const existing = await find(user, id)
      mayChange(user, existing)
      await db.$transaction(async (tx) => {
        await tx.cannedResponse.delete({ where: { id } })
        await changed(actor, 'canned-response.deleted', existing, tx as never)
      })
      await bus.publish(CANNED_CHANGED_TOPIC, { id, change: 'deleted' })
    },
  }
}
