import { z } from 'zod'
import { renderedDto } from '../canned/canned-dto.js'

export const suggestionsQuery = z.strictObject({
  text: z.string().max(4000).optional().describe("what to suggest replies to; default: the customer's last message"),
  limit: z.coerce.number().int().min(1).max(10).default(3).describe('at most this many of each kind'),
})

export const suggestionsDto = z.object({
  text: z.string().nullable().describe('the customer text the suggestions answer (null: no customer message yet)'),
  language: z.enum(['en', 'zh-CN']).describe("the customer's language, from the contact or the text"),
  kb: z.array(
    z.object({ id: z.string(), question: z.string(), answer: z.string(), score: z.number().describe('0 to 1') }),
  ),
  canned: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      shortcut: z.string(),
      score: z.number().describe('0 to 1'),
      rendered: renderedDto,
    }),
  ),
  ai: z.object({ available: z.boolean().describe('whether POST …/draft can answer (an LLM provider is configured)') }),
})
export type Suggestions = z.infer<typeof suggestionsDto>

export const draftInput = z.strictObject({
  guidance: z.string().trim().max(2000).optional().describe('what the reply should say, in the agent’s words'),
})

export const draftDto = z.object({ text: z.string(), language: z.enum(['en', 'zh-CN']) })
