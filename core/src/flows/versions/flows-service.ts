import { z } from 'zod'
import type { Actor, AuditLog } from '../../audit/index.js'
import { ErrorCode, userError } from '../../errors/index.js'
import type { EventBus } from '../../infra/index.js'
import type { Db, Prisma } from '../../storage/index.js'
import { parseInput } from '../../validation/parse-input.js'
import { CURRENT_SCHEMA_VERSION, flowDocumentSchema, flowKinds, type FlowDocument } from '../document/flow-document.js'
import { migrateFlowDocument } from '../document/migrate-document.js'
import type { NodeTypeRegistry } from '../node-types/registry.js'
import { validateFlow, type FlowProblem } from '../validate/validate-flow.js'
import { diffDocuments } from './diff-documents.js'

export const flowNameSchema = z.string().trim().min(1).max(200)
export const flowFileSchema = z.strictObject({
  name: flowNameSchema,
  kind: z.enum(flowKinds),
  description: z.string().max(2000).default(''),
  document: z.unknown(),
})
export type FlowFile = z.input<typeof flowFileSchema>

const emptyDocument = (): FlowDocument => ({
  schemaVersion: CURRENT_SCHEMA_VERSION,
  nodes: [{ id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } }],
  edges: [],
  variables: {},
  tests: [],
  settings: { maxSteps: 1000 },
})

const json = (v: unknown) => v as Prisma.InputJsonValue
type VersionRef = number | 'draft' | 'published'

export type FlowsService = ReturnType<typeof createFlowsService>

/** Published on the bus after every draft save; the builder tells the flow's other editors (realtime `/flows/{id}/editors`). */
export const FLOW_DRAFT_SAVED = 'flow.draft.saved'
export interface FlowDraftSavedEvent {
  flowId: string
  rev: number
  at: string
  by: { userId: string | null; email: string | null; name: string | null }
}

/**
 * Flows and their versions: a draft edited with optimistic revisions (a stale save is refused,
 * never merged silently), published versions frozen when published, rollback as a new version
 * with an old graph, and diffs between any two.
 */
export function createFlowsService({
  db,
  audit,
  registry,
  bus,
}: {
  db: Db
  audit: AuditLog
  registry: NodeTypeRegistry
  /** where `flow.draft.saved` goes (the flow's other editors are told); none: nobody is told */
  bus?: EventBus
}) {
  /** Parses the document's shape (400 listing the problems) and returns it with its semantic problems. */
  function checkDocument(input: unknown): { document: FlowDocument; problems: FlowProblem[] } {
    const result = validateFlow(input, registry)
    if (!result.document)
      throw userError(
        ErrorCode.FLOW_INVALID,
        `The flow document is malformed: ${result.problems.map((p) => p.message).join('; ')}`,
        { details: result.problems },
      )
    return { document: result.document, problems: result.problems }
  }

  function refuseProblems(name: string, problems: FlowProblem[]) {
    if (problems.length) {
      throw userError(
        ErrorCode.FLOW_INVALID,
        `Flow "${name}" has ${problems.length} problem(s): ${problems.map((p) => p.message).join('; ')}`,
        { details: problems },
      )
    }
  }

  async function getRow(id: string) {
    const flow = await db.flow.findFirst({ where: { OR: [{ id }, { name: id }] } })
    if (!flow) throw userError(ErrorCode.NOT_FOUND, `No flow ${id}`, { status: 404 })
    return flow
  }

  async function publishedNumber(flow: { publishedVersionId: string | null }) {
    if (!flow.publishedVersionId) return null
    return (
      (await db.flowVersion.findUnique({ where: { id: flow.publishedVersionId }, select: { version: true } }))
        ?.version ?? null
    )
  }

  async function view(flow: Awaited<ReturnType<typeof getRow>>) {
    const document = flowDocumentSchema.parse(migrateFlowDocument(flow.draft))
    return {
      id: flow.id,
      name: flow.name,
      kind: flow.kind,
      description: flow.description,
      draft: document,
      draftRev: flow.draftRev,
      publishedVersion: await publishedNumber(flow),
      problems: validateFlow(document, registry).problems,
      createdAt: flow.createdAt,
      updatedAt: flow.updatedAt,
    }
  }

  async function documentAt(flowId: string, ref: VersionRef): Promise<FlowDocument> {
    const flow = await getRow(flowId)
    if (ref === 'draft') return flowDocumentSchema.parse(migrateFlowDocument(flow.draft))
    const row =
      ref === 'published'
        ? flow.publishedVersionId
          ? await db.flowVersion.findUnique({ where: { id: flow.publishedVersionId } })
          : null
        : await db.flowVersion.findUnique({ where: { flowId_version: { flowId: flow.id, version: ref } } })
    if (!row) throw userError(ErrorCode.NOT_FOUND, `Flow "${flow.name}" has no version ${ref}`, { status: 404 })
    return flowDocumentSchema.parse(migrateFlowDocument(row.graph))
  }

  async function nameOf(userId: string | null) {
    if (!userId) return null
    return (await db.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? null
  }

  /** Who saved the draft last and when (the audit log's newest draft write of this flow). */
  async function lastDraftWrite(flowId: string) {
    const event = await db.auditEvent.findFirst({
      where: {
        targetType: 'flow',
        targetId: flowId,
        action: { in: ['flow.save-draft', 'flow.create', 'flow.import', 'flow.rollback'] },
      },
      orderBy: { at: 'desc' },
      select: { at: true, actorUserId: true, actorEmail: true },
    })
    if (!event) return null
    return {
      at: event.at.toISOString(),
      by: { userId: event.actorUserId, email: event.actorEmail, name: await nameOf(event.actorUserId) },
    }
  }

  async function announceDraftSaved(actor: Actor, flowId: string, rev: number) {
    if (!bus) return
    const event: FlowDraftSavedEvent = {
      flowId,
      rev,
      at: new Date().toISOString(),
      by: { userId: actor.userId, email: actor.email, name: await nameOf(actor.userId) },
    }
    await bus.publish(FLOW_DRAFT_SAVED, event)
  }

  async function newVersion(
    actor: Actor,
    flowId: string,
    document: FlowDocument,
    note: string,
    options: { resetDraft?: boolean } = {},
  ) {
    return db.$transaction(async (tx) => {
      const last = await tx.flowVersion.findFirst({
        where: { flowId },
        orderBy: { version: 'desc' },
        select: { version: true },
      })
      const version = await tx.flowVersion.create({
        data: { flowId, version: (last?.version ?? 0) + 1, graph: json(document), note, createdById: actor.userId },
      })
      await tx.flow.update({
        where: { id: flowId },
        data: {
          publishedVersionId: version.id,
          ...(options.resetDraft ? { draft: json(document), draftRev: { increment: 1 } } : {}),
        },
      })
      return version
    })
  }

  return {
    checkDocument,
    documentAt,

    validate(document: unknown) {
      const result = validateFlow(document, registry)
      return { ok: result.ok, problems: result.problems }
    },

    async list() {
      const flows = await db.flow.findMany({ orderBy: { name: 'asc' } })
      return Promise.all(
        flows.map(async (f) => {
          const published = f.publishedVersionId
            ? await db.flowVersion.findUnique({
                where: { id: f.publishedVersionId },
                select: { version: true, graph: true },
              })
            : null
          // who touched it last: the newest audit event about this flow
          const last = await db.auditEvent.findFirst({
            where: { targetType: 'flow', targetId: f.id },
            orderBy: { at: 'desc' },
            select: { actorEmail: true },
          })
          return {
            id: f.id,
            name: f.name,
            kind: f.kind,
            description: f.description,
            draftRev: f.draftRev,
            publishedVersion: published?.version ?? null,
            /** the draft differs from the published version (always true before the first publish) */
            draftChanged: !published || JSON.stringify(f.draft) !== JSON.stringify(published.graph),
            updatedAt: f.updatedAt,
            updatedBy: last?.actorEmail ?? null,
          }
        }),
      )
    },

    async get(id: string) {
      return view(await getRow(id))
    },

    async create(actor: Actor, input: { name: string; kind: string; description?: string; document?: unknown }) {
      const data = parseInput(flowFileSchema.extend({ document: z.unknown().optional() }), input)
      const { document } = data.document === undefined ? { document: emptyDocument() } : checkDocument(data.document)
      if (await db.flow.findUnique({ where: { name: data.name } }))
        throw userError(ErrorCode.CONFLICT, `A flow named "${data.name}" already exists`, { status: 409 })
      const flow = await db.flow.create({
        data: { name: data.name, kind: data.kind, description: data.description, draft: json(document) },
      })
      await audit.record(actor, {
        action: 'flow.create',
        targetType: 'flow',
        targetId: flow.id,
        details: { name: flow.name },
      })
      return view(flow)
    },

    /** Saves the draft if `baseRev` is still the current revision; a stale save is refused (409). */
    async saveDraft(actor: Actor, id: string, input: { document: unknown; baseRev: number; description?: string }) {
      const flow = await getRow(id)
      const { document } = checkDocument(input.document)
      const updated = await db.flow.updateMany({
        where: { id: flow.id, draftRev: input.baseRev },
        data: {
          draft: json(document),
          draftRev: { increment: 1 },
          ...(input.description !== undefined ? { description: input.description } : {}),
        },
      })
      if (updated.count === 0) {
        const current = await getRow(flow.id)
        const last = await lastDraftWrite(flow.id)
        const who = last?.by.name ?? last?.by.email
        throw userError(
          ErrorCode.FLOW_STALE,
          `Flow "${flow.name}" was saved by ${who ?? 'someone else'} since revision ${input.baseRev} (it is at revision ${current.draftRev}); reload it and apply your change again`,
          {
            status: 409,
            details: {
              currentRev: current.draftRev,
              yourRev: input.baseRev,
              savedAt: last?.at ?? current.updatedAt.toISOString(),
              savedBy: last?.by ?? null,
            },
          },
        )
      }
      await audit.record(actor, {
        action: 'flow.save-draft',
        targetType: 'flow',
        targetId: flow.id,
        details: { rev: input.baseRev + 1 },
      })
      await announceDraftSaved(actor, flow.id, input.baseRev + 1)
      return view(await getRow(flow.id))
    },

    /** Freezes the draft as a new published version; refused while the draft has problems. */
    async publish(actor: Actor, id: string, input: { note?: string } = {}) {
      const flow = await getRow(id)
      const { document, problems } = checkDocument(flow.draft)
      refuseProblems(flow.name, problems)
      const version = await newVersion(actor, flow.id, document, input.note ?? '')
      await audit.record(actor, {
        action: 'flow.publish',
        targetType: 'flow',
        targetId: flow.id,
        details: { version: version.version },
      })
      return { flowId: flow.id, version: version.version, versionId: version.id }
    },

    /**
     * Publishes an old version's graph again, as a new version (history stays linear); with
     * `resetDraft` the draft becomes that graph too (a new revision), so editing goes on from it.
     */
    async rollback(actor: Actor, id: string, input: { version: number; resetDraft?: boolean }) {
      const flow = await getRow(id)
      const document = await documentAt(flow.id, input.version)
      const version = await newVersion(actor, flow.id, document, `rollback to version ${input.version}`, {
        resetDraft: input.resetDraft,
      })
      await audit.record(actor, {
        action: 'flow.rollback',
        targetType: 'flow',
        targetId: flow.id,
        details: { to: input.version, version: version.version, resetDraft: Boolean(input.resetDraft) },
      })
      const draftRev = input.resetDraft ? (await getRow(flow.id)).draftRev : undefined
      if (draftRev !== undefined) await announceDraftSaved(actor, flow.id, draftRev)
      return { flowId: flow.id, version: version.version, versionId: version.id, ...(draftRev ? { draftRev } : {}) }
    },

    async versions(id: string) {
      const flow = await getRow(id)
      const rows = await db.flowVersion.findMany({
        where: { flowId: flow.id },
        orderBy: { version: 'desc' },
        include: { createdBy: { select: { email: true, name: true } } },
      })
      return rows.map((r) => ({
        version: r.version,
        id: r.id,
        note: r.note,
        createdAt: r.createdAt,
        createdBy: r.createdBy,
        published: r.id === flow.publishedVersionId,
      }))
    },

    async diff(id: string, from: VersionRef, to: VersionRef) {
      return diffDocuments(await documentAt(id, from), await documentAt(id, to))
    },

    /** The same diff for two documents that are not both stored (the builder's unsaved drawing against a newer draft). */
    diffDrawings(before: unknown, after: unknown) {
      return diffDocuments(checkDocument(before).document, checkDocument(after).document)
    },

    async remove(actor: Actor, id: string) {
      const flow = await getRow(id)
      await db.flow.delete({ where: { id: flow.id } })
      await audit.record(actor, {
        action: 'flow.delete',
        targetType: 'flow',
        targetId: flow.id,
        details: { name: flow.name },
      })
    },

    /** Creates or replaces a flow from a flow file; an invalid file is refused whole (nothing saved). */
    async importFile(actor: Actor, input: FlowFile, options: { publish?: boolean } = {}) {
      const file = parseInput(flowFileSchema, input, 'flow file')
      const { document, problems } = checkDocument(file.document)
      refuseProblems(file.name, problems)
      const existing = await db.flow.findUnique({ where: { name: file.name } })
      const flow = existing
        ? await db.flow.update({
            where: { id: existing.id },
            data: { kind: file.kind, description: file.description, draft: json(document), draftRev: { increment: 1 } },
          })
        : await db.flow.create({
            data: { name: file.name, kind: file.kind, description: file.description, draft: json(document) },
          })
      await audit.record(actor, {
        action: 'flow.import',
        targetType: 'flow',
        targetId: flow.id,
        details: { name: flow.name, replaced: Boolean(existing) },
      })
      const published = options.publish ? await this.publish(actor, flow.id, { note: 'imported' }) : undefined
      return { ...(await view(await getRow(flow.id))), ...(published ? { publishedVersion: published.version } : {}) }
    },

    async exportFile(id: string): Promise<FlowFile & { document: FlowDocument }> {
      const flow = await getRow(id)
      return {
        name: flow.name,
        kind: flow.kind as FlowFile['kind'],
        description: flow.description,
        document: flowDocumentSchema.parse(migrateFlowDocument(flow.draft)),
      }
    },
  }
}
