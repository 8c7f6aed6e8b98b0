import { z } from 'zod'

/** The newest document format; older documents are migrated forward on read (migrate-document.ts). */
export const CURRENT_SCHEMA_VERSION = 1

export const flowKinds = ['ivr', 'bot', 'routing', 'ticket', 'callback', 'survey'] as const
export type FlowKind = (typeof flowKinds)[number]

const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')

export const flowNodeSchema = z.strictObject({
  id: nodeId,
  type: z.string().min(1).max(100),
  /** the node's settings, checked against its node type's JSON Schema */
  config: z.record(z.string(), z.unknown()).default({}),
  /** where the builder draws it; the engine ignores it */
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
  title: z.string().max(200).optional(),
})

export const flowEdgeSchema = z.strictObject({
  from: nodeId,
  /** the named output port of `from` */
  port: z.string().min(1).max(100),
  to: nodeId,
})

/** One step of a flow test or simulator transcript. */
export const transcriptStepSchema = z.union([
  z.strictObject({ say: z.string().max(4000) }).describe('the customer sends a text message'),
  z.strictObject({ digits: z.string().regex(/^[0-9*#]{1,32}$/) }).describe('the caller presses keys (DTMF)'),
  z
    .strictObject({ event: z.string().min(1).max(200), data: z.unknown().optional() })
    .describe('an event reaches the run'),
  z
    .strictObject({ advance: z.union([z.string(), z.number()]) })
    .describe('the clock moves forward, e.g. "2h"; due timers fire'),
  z
    .strictObject({
      expect: z.strictObject({
        /** texts the bot sent since the previous expect, each matched as a substring, in order */
        messages: z.array(z.string()).optional(),
        /** variables that must have these values now */
        vars: z.record(z.string(), z.unknown()).optional(),
        /** the run's status now */
        status: z.enum(['running', 'waiting', 'completed', 'failed']).optional(),
        /** output kinds that must have happened since the previous expect, e.g. "handoff" */
        outputs: z.array(z.string()).optional(),
      }),
    })
    .describe('check what happened'),
])
export type TranscriptStep = z.infer<typeof transcriptStepSchema>

/** Answers of plugin actions and HTTP calls, and closed queues, in a simulation (flow tests, the simulator). */
export const simulationMocksSchema = z.strictObject({
  actions: z.record(z.string(), z.unknown()).optional(),
  http: z.record(z.string(), z.strictObject({ status: z.number().int(), body: z.unknown().optional() })).optional(),
  queues: z
    .record(
      z.string(),
      z.strictObject({ open: z.boolean(), nextChangeAt: z.iso.datetime({ offset: true }).optional() }),
    )
    .optional()
    .describe('queues by name closed (open: false) in the simulation; the others are open'),
})

export const flowTestSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** variables, contact and conversation the run starts with */
  given: z
    .strictObject({
      vars: z.record(z.string(), z.unknown()).optional(),
      contact: z.record(z.string(), z.unknown()).optional(),
      conversation: z.record(z.string(), z.unknown()).optional(),
      channel: z.enum(['text', 'voice']).optional(),
      /** ISO time the simulated clock starts at */
      now: z.string().optional(),
      /** answers of plugin actions and HTTP calls, and closed queues, in the simulation */
      mocks: simulationMocksSchema.optional(),
    })
    .optional(),
  steps: z.array(transcriptStepSchema).min(1).max(500),
})
export type FlowTest = z.infer<typeof flowTestSchema>

export const flowDocumentSchema = z.strictObject({
  schemaVersion: z.number().int().min(1),
  nodes: z.array(flowNodeSchema).max(2000),
  edges: z.array(flowEdgeSchema).max(10000),
  /** variables with their starting values */
  variables: z.record(z.string(), z.unknown()).default({}),
  /** recorded transcripts the flow must pass (`switchboard flow test`) */
  tests: z.array(flowTestSchema).max(200).default([]),
  settings: z
    .strictObject({
      /** nodes one run may execute before it is stopped as a runaway loop */
      maxSteps: z.number().int().min(10).max(100_000).default(1000),
    })
    .default({ maxSteps: 1000 }),
})
export type FlowDocument = z.infer<typeof flowDocumentSchema>
export type FlowNode = z.infer<typeof flowNodeSchema>
export type FlowEdge = z.infer<typeof flowEdgeSchema>
