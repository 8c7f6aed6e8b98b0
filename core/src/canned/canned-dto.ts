import { z } from 'zod'

/** "/refund", "refund" or "退款" → "refund" / "退款": what the agent types after the slash. */
const shortcut = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\/+/, '').toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'give the shortcut the agent types after "/", e.g. refund')
      .max(32)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u, 'letters, digits, - and _ only (no spaces), e.g. refund or late-parcel'),
  )
  .describe('what the agent types after "/", e.g. refund (a leading "/" is dropped)')

const tags = z.array(z.string().trim().min(1).max(50)).max(20)
const language = z.enum(['en', 'zh-CN']).describe('the language it is written in; omit for any')

export const createCannedInput = z.strictObject({
  title: z.string().trim().min(1).max(120),
  shortcut,
  body: z.string().trim().min(1).max(5000).describe('the text; variables such as {{contact.name}} are filled in'),
  language: language.nullable().optional(),
  tags: tags.default([]),
  shared: z
    .boolean()
    .default(true)
    .describe('true: every agent sees it (supervisors and admins only); false: your personal response'),
})
export type CreateCannedInput = z.input<typeof createCannedInput>

export const updateCannedInput = z
  .strictObject({
    title: z.string().trim().min(1).max(120),
    shortcut,
    body: z.string().trim().min(1).max(5000),
    language: language.nullable(),
    tags,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateCannedInput = z.infer<typeof updateCannedInput>

export const listCannedQuery = z.strictObject({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('"/ref" finds shortcuts starting with ref; other text searches title, shortcut, body and tags'),
  conversationId: z.string().max(64).optional().describe('render the variables for this conversation'),
  language: z.enum(['en', 'zh-CN']).optional().describe('only this language (and those for any language)'),
  scope: z.enum(['all', 'shared', 'mine']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type ListCannedQuery = z.infer<typeof listCannedQuery>

export const previewCannedInput = z.strictObject({
  body: z.string().max(5000),
  conversationId: z.string().max(64).optional().describe('fill the variables from this conversation; else examples'),
})

export const renderedDto = z.object({
  text: z.string().describe('the body with every known variable filled in'),
  unknown: z.array(z.string()).describe('{{names}} that are no variable: left as they are'),
  missing: z
    .array(z.string())
    .describe('variables with no value here (e.g. a contact without a name): left as they are'),
})
export type Rendered = z.infer<typeof renderedDto>

export const cannedDto = z.object({
  id: z.string(),
  title: z.string(),
  shortcut: z.string(),
  body: z.string(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  shared: z.boolean(),
  ownerId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  rendered: renderedDto.optional().describe('with conversationId: the body rendered for that conversation'),
})
export type CannedView = z.infer<typeof cannedDto>

export const variableDto = z.object({
  name: z.string(),
  description: z.object({ en: z.string(), 'zh-CN': z.string() }),
  example: z.object({ en: z.string(), 'zh-CN': z.string() }),
})
