import { z } from 'zod'

export const kbEntryId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'letters, digits, _ . : or -, at most 64, e.g. refund-time')
const question = z.string().trim().min(1).max(500)
const answer = z.string().trim().min(1).max(5000)
const tags = z.array(z.string().trim().min(1).max(50)).max(50)
const variants = z.array(question).max(100).describe('other phrasings of the question')
const language = z.string().trim().max(20).describe('e.g. zh-CN or en')

export const createKbEntryInput = z.strictObject({
  id: kbEntryId.optional().describe('a stable id of your choice; a random one when not given'),
  question,
  answer,
  tags: tags.default([]),
  variants: variants.default([]),
  language: language.nullable().optional(),
})
export type CreateKbEntryInput = z.input<typeof createKbEntryInput>

export const updateKbEntryInput = z
  .strictObject({ question, answer, tags, variants, language: language.nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateKbEntryInput = z.infer<typeof updateKbEntryInput>

export const kbEntryDto = z.object({
  id: z.string(),
  question: z.string(),
  answer: z.string(),
  tags: z.array(z.string()),
  variants: z.array(z.string()),
  language: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type KbEntryView = z.infer<typeof kbEntryDto>

export const listKbEntriesQuery = z.strictObject({
  tag: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

export const kbSearchInput = z.strictObject({
  text: z.string().trim().min(1).max(2000).describe("the customer's question"),
  limit: z.number().int().min(1).max(20).default(5),
  threshold: z.number().min(0).max(1).optional().describe('entries scoring below this are left out (default 0.25)'),
})

export const kbHitDto = z.object({ id: z.string(), question: z.string(), answer: z.string(), score: z.number() })

/** One line of a `kb import` file: upserted by id. */
export const kbEntryLine = z.strictObject({
  id: kbEntryId,
  question,
  answer,
  tags: tags.default([]),
  variants: variants.default([]),
  language: language.nullable().optional(),
})
export type KbEntryLine = z.input<typeof kbEntryLine>
/** A line as read from a file: optional fields filled in. */
export type ParsedKbEntryLine = z.output<typeof kbEntryLine>

export const importKbEntriesInput = z
  .array(kbEntryLine)
  .min(1)
  .max(100_000)
  .superRefine((lines, ctx) => {
    const seen = new Set<string>()
    lines.forEach((l, i) => {
      if (seen.has(l.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id ${l.id} is given twice` })
      seen.add(l.id)
    })
  })

export interface KbImportResult {
  created: number
  updated: number
}
