import { z } from 'zod'
import { flowKinds, simulationMocksSchema, transcriptStepSchema } from './document/flow-document.js'

export const idParams = z.strictObject({ id: z.string().min(1).max(200) })
export const versionRef = z.union([z.literal('draft'), z.literal('published'), z.coerce.number().int().min(1)])

export const createFlowPayload = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(flowKinds),
  description: z.string().max(2000).default(''),
  document: z.unknown().optional().describe('a flow document; default: a flow with only a start node'),
})

export const saveDraftPayload = z.strictObject({
  document: z.unknown(),
  baseRev: z.number().int().min(1).describe('the draftRev the document was edited from'),
  description: z.string().max(2000).optional(),
})

export const simulationOptions = {
  steps: z.array(transcriptStepSchema).max(500).default([]),
  channel: z.enum(['text', 'voice']).default('text'),
  vars: z.record(z.string(), z.unknown()).optional(),
  context: z
    .strictObject({
      contact: z.record(z.string(), z.unknown()).nullable().optional(),
      conversation: z.record(z.string(), z.unknown()).nullable().optional(),
    })
    .optional(),
  mocks: simulationMocksSchema.optional(),
  now: z.string().optional(),
}

export const startRunPayload = z.strictObject({
  flow: z.string().min(1).max(200).describe('flow id or name; its published version runs'),
  conversationId: z.string().max(64).optional(),
  channel: z.enum(['text', 'voice']).default('text'),
  variables: z.record(z.string(), z.unknown()).default({}),
  input: z.strictObject({ text: z.string().max(4000).optional(), digits: z.string().max(32).optional() }).optional(),
  key: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('idempotency key: starting twice with the same key starts one run'),
})

export const deliverPayload = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('input'),
    text: z.string().max(4000).optional(),
    digits: z
      .string()
      .regex(/^[0-9*#]{1,32}$/)
      .optional(),
    key: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({
    kind: z.literal('event'),
    topic: z.string().min(1).max(200),
    data: z.unknown().optional(),
    key: z.string().min(1).max(200).optional(),
  }),
])

export const turnResultDto = z.object({
  runId: z.string(),
  status: z.string(),
  outputs: z.array(z.record(z.string(), z.unknown())),
  variables: z.record(z.string(), z.unknown()),
  waitingFor: z.unknown(),
  error: z.string().nullable(),
  duplicate: z.boolean(),
})
