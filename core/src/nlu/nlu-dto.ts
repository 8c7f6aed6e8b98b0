import { z } from 'zod'

export const intentName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'a name of letters, digits, _ . or - that starts with a letter, e.g. order_status (at most 64)',
  )
  .describe('the name flows use, e.g. order_status')
export const exampleText = z.string().trim().min(1).max(500)

export const createIntentInput = z.strictObject({
  name: intentName,
  description: z.string().max(1000).default(''),
  examples: z.array(exampleText).max(1000).default([]).describe('phrases a customer would say; 5–10 are enough'),
})
export type CreateIntentInput = z.input<typeof createIntentInput>

export const updateIntentInput = z
  .strictObject({
    name: intentName,
    description: z.string().max(1000),
    examples: z.array(exampleText).max(1000).describe('replaces all examples'),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateIntentInput = z.infer<typeof updateIntentInput>

export const intentDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  examples: z.array(z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type IntentView = z.infer<typeof intentDto>

export const classifyInput = z.strictObject({
  text: z.string().trim().min(1).max(2000).describe("the customer's message"),
  threshold: z.number().min(0).max(1).optional().describe('below this confidence the intent is null (default 0.2)'),
})

export const classificationDto = z.object({
  intent: z.string().nullable(),
  confidence: z.number(),
  ranking: z.array(z.object({ intent: z.string(), score: z.number() })),
})

/** One line of an `nlu import` file. */
export const intentExampleLine = z.strictObject({ intent: intentName, text: exampleText })
export type IntentExampleLine = z.infer<typeof intentExampleLine>

export const importIntentExamplesInput = z.array(intentExampleLine).min(1).max(100_000)

export interface IntentImportResult {
  intentsCreated: number
  examplesAdded: number
  /** lines whose example the intent already had (or that repeat an earlier line) */
  examplesUnchanged: number
}
