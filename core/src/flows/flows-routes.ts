import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { ErrorCode, userError } from '../errors/index.js'
import {
  createFlowPayload,
  deliverPayload,
  idParams,
  saveDraftPayload,
  simulationOptions,
  startRunPayload,
  turnResultDto,
  versionRef,
} from './flows-dto.js'
import { portsOf, requiredPortsOf } from './node-types/node-type.js'
import type { NodeTypeRegistry } from './node-types/registry.js'
import type { FlowRuntime } from './runtime/flow-runtime.js'
import { simulateFlow, type SimulatorDeps } from './simulator/simulate.js'
import { runFlowTests } from './simulator/run-flow-tests.js'
import type { FlowsService } from './versions/flows-service.js'
import { triggerInput, type FlowTriggers } from './triggers/flow-triggers.js'
import { listFlowTemplates } from './versions/flow-templates.js'

const tags = ['flows']

export function flowsRoutes(
  flows: FlowsService,
  runtime: FlowRuntime,
  triggers: FlowTriggers,
  registry: NodeTypeRegistry,
  simulator: SimulatorDeps,
): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows',
      access: 'supervisor',
      tags,
      summary: 'List flows',
      handler: async () => flows.list(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows',
      access: 'admin',
      tags,
      summary: 'Create a flow',
      payload: createFlowPayload,
      status: 201,
      handler: async ({ payload, actor }) => flows.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}',
      access: 'supervisor',
      tags,
      summary: 'A flow with its draft, draft revision and the draft’s problems',
      params: idParams,
      handler: async ({ params }) => flows.get(params.id),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/flows/{id}/draft',
      access: 'admin',
      tags,
      summary: 'Save the draft (send the revision it was edited from; a stale save is 409)',
      params: idParams,
      payload: saveDraftPayload,
      handler: async ({ params, payload, actor }) => flows.saveDraft(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/flows/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a flow, its versions and runs',
      params: idParams,
      handler: async ({ params, actor }) => flows.remove(actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/{id}/publish',
      access: 'admin',
      tags,
      summary: 'Publish the draft as a new frozen version (refused while it has problems)',
      params: idParams,
      payload: z.strictObject({ note: z.string().max(500).optional() }),
      status: 201,
      handler: async ({ params, payload, actor }) => flows.publish(actor, params.id, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/versions',
      access: 'supervisor',
      tags,
      summary: 'Published versions, newest first',
      params: idParams,
      handler: async ({ params }) => flows.versions(params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/versions/{version}',
      access: 'supervisor',
      tags,
      summary: 'The document of a version (a number, draft or published)',
      params: z.strictObject({ id: z.string().min(1).max(200), version: versionRef }),
      handler: async ({ params }) => flows.documentAt(params.id, params.version),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/{id}/rollback',
      access: 'admin',
      tags,
      summary: 'Publish an old version again (as a new version); with resetDraft the draft becomes that version too',
      params: idParams,
      payload: z.strictObject({
        version: z.number().int().min(1),
        resetDraft: z.boolean().default(false).describe('also replace the draft with that version (a new revision)'),
      }),
      status: 201,
      handler: async ({ params, payload, actor }) => flows.rollback(actor, params.id, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/diff',
      access: 'supervisor',
      tags,
      summary:
        'What changed between two versions (numbers, draft or published): nodes and edges added, removed, changed',
      params: idParams,
      query: z.strictObject({ from: versionRef, to: versionRef.default('draft') }),
      handler: async ({ params, query }) => flows.diff(params.id, query.from, query.to),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/diff',
      access: 'supervisor',
      tags,
      summary:
        'What changed between two flow documents that need not be stored (e.g. an unsaved drawing and the draft)',
      payload: z.strictObject({ before: z.unknown(), after: z.unknown() }),
      handler: async ({ payload }) => flows.diffDrawings(payload.before, payload.after),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/validate',
      access: 'supervisor',
      tags,
      summary: 'Check a flow document without saving it: every problem with its node',
      payload: z.strictObject({ document: z.unknown() }),
      handler: async ({ payload }) => flows.validate(payload.document),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/import',
      access: 'admin',
      tags,
      summary:
        'Create or replace a flow from a flow file { name, kind, description, document }; an invalid file is refused whole',
      payload: z.strictObject({ flow: z.unknown(), publish: z.boolean().default(false) }),
      status: 201,
      handler: async ({ payload, actor }) =>
        flows.importFile(actor, payload.flow as never, { publish: payload.publish }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/export',
      access: 'supervisor',
      tags,
      summary: 'The flow as a flow file',
      params: idParams,
      handler: async ({ params }) => flows.exportFile(params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/{id}/simulate',
      access: 'supervisor',
      tags,
      summary: 'Run a saved flow (draft by default) against a transcript, touching nothing real',
      params: idParams,
      payload: z.strictObject({ version: versionRef.default('draft'), ...simulationOptions }),
      async handler({ params, payload }) {
        const document = await flows.documentAt(params.id, payload.version)
        return simulateFlow(simulator, { ...payload, document })
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/simulate',
      access: 'supervisor',
      tags,
      summary: 'Run an unsaved flow document against a transcript',
      payload: z.strictObject({ document: z.unknown(), ...simulationOptions }),
      async handler({ payload }) {
        const { document } = flows.checkDocument(payload.document)
        return simulateFlow(simulator, { ...payload, document })
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/{id}/test',
      access: 'supervisor',
      tags,
      summary: "Run the flow's recorded tests (draft by default)",
      params: idParams,
      payload: z.strictObject({ version: versionRef.default('draft') }),
      handler: async ({ params, payload }) =>
        runFlowTests(simulator, await flows.documentAt(params.id, payload.version)),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/triggers',
      access: 'supervisor',
      tags,
      summary: 'What starts this flow',
      params: idParams,
      handler: async ({ params }) => triggers.list((await flows.get(params.id)).id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/flows/{id}/triggers',
      access: 'admin',
      tags,
      summary: "Start this flow for a channel's new conversations, on an event (with a delay) or on a cron schedule",
      params: idParams,
      payload: triggerInput,
      status: 201,
      handler: async ({ params, payload, actor }) => triggers.create(actor, (await flows.get(params.id)).id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/flows/{id}/triggers/{triggerId}',
      access: 'admin',
      tags,
      summary: 'Remove a trigger',
      params: z.strictObject({ id: z.string().min(1).max(200), triggerId: z.string().min(1).max(64) }),
      handler: async ({ params, actor }) => triggers.remove(actor, (await flows.get(params.id)).id, params.triggerId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flow-templates',
      access: 'supervisor',
      tags,
      summary: 'Ready-made flows to start from (the example flows): name, kind, description and document',
      handler: async () => listFlowTemplates(),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/node-types',
      access: 'agent',
      tags,
      summary: 'The node types the builder can place: title, category, config JSON Schema, ports',
      async handler() {
        return registry.list().map((d) => ({
          type: d.type,
          version: d.version,
          title: d.title,
          description: d.description,
          category: d.category,
          channels: d.channels,
          configSchema: d.configSchema,
          ports: typeof d.ports === 'function' ? null : d.ports,
          dynamicPorts: typeof d.ports === 'function',
          requiredPorts: typeof d.requiredPorts === 'function' ? null : (d.requiredPorts ?? []),
          // which config fields hold expressions or templates (the builder offers variables there)
          expressionFields: d.expressionFields ?? [],
        }))
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/node-types/{type}/ports',
      access: 'agent',
      tags,
      summary: 'The ports of a node with this config (for node types whose ports depend on the config)',
      params: z.strictObject({ type: z.string().max(100) }),
      payload: z.strictObject({ config: z.record(z.string(), z.unknown()).default({}) }),
      async handler({ params, payload }) {
        const definition = registry.get(params.type)
        if (!definition) return { ports: [], requiredPorts: [] }
        return { ports: portsOf(definition, payload), requiredPorts: requiredPortsOf(definition, payload) }
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/runs',
      access: 'admin',
      tags: ['runs'],
      summary: "Start a run of a flow's published version (the API trigger)",
      payload: startRunPayload,
      response: turnResultDto,
      status: 201,
      async handler({ payload }) {
        if (payload.conversationId) await runtime.assertConversation(payload.conversationId)
        return runtime.engine.start({
          flow: payload.flow,
          conversationId: payload.conversationId,
          channel: payload.channel,
          variables: payload.variables,
          input: payload.input,
          eventKey: payload.key,
          trigger: { kind: 'api' },
        })
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/runs/{id}/events',
      access: 'admin',
      tags: ['runs'],
      summary: 'Deliver input or an event to a waiting run; the same key is applied once',
      params: idParams,
      payload: deliverPayload,
      response: turnResultDto,
      handler: async ({ params, payload }) =>
        runtime.engine.deliver(
          params.id,
          payload.kind === 'input'
            ? { kind: 'input', text: payload.text, digits: payload.digits }
            : { kind: 'event', topic: payload.topic, data: payload.data },
          { eventKey: payload.key },
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/runs/{id}',
      access: 'supervisor',
      tags: ['runs'],
      summary: 'A run with its variables, what it waits for, and its trace',
      params: idParams,
      async handler({ params }) {
        const run = await runtime.getRun(params.id)
        if (!run) throw userError(ErrorCode.NOT_FOUND, `No flow run ${params.id}`, { status: 404 })
        return run
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/runs',
      access: 'supervisor',
      tags: ['runs'],
      summary: 'Runs of a flow, newest first',
      params: idParams,
      query: z.strictObject({
        status: z.enum(['running', 'waiting', 'completed', 'failed', 'cancelled']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
      handler: async ({ params, query }) => runtime.listRuns((await flows.get(params.id)).id, query),
    }),
  ]
}
