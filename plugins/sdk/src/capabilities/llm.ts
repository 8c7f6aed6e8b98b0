import { z } from 'zod'

export const chatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })
export type ChatMessage = z.infer<typeof chatMessage>
const transcript = z
  .array(z.object({ from: z.enum(['customer', 'agent', 'bot']), text: z.string() }))
  .max(200)
  .describe('the conversation so far, oldest first')

/**
 * `llm`: what Switchboard asks of a large language model. The built-in classifier and
 * knowledge base answer the same questions offline; an LLM plugin answers them better.
 *
 * @example
 * ```ts
 * // in a flow: plugin-action llm.classifyIntent with { text: input.text, intents: [...] }
 * ```
 */
export const llm = {
  name: 'llm',
  alias: 'llm',
  title: { en: 'Large language model', 'zh-CN': '大语言模型' },
  methods: {
    complete: {
      input: z.object({
        messages: z.array(chatMessage).min(1).max(100).describe('the chat so far: system, user and assistant turns'),
        temperature: z.number().min(0).max(2).optional().describe('0 is steady, higher is more varied'),
        maxTokens: z.number().int().min(1).max(8192).optional().describe('longest answer, in tokens'),
      }),
      output: z.object({ text: z.string(), model: z.string().optional() }),
    },
    classifyIntent: {
      input: z.object({
        text: z.string().max(4000).describe("the customer's message"),
        intents: z
          .array(z.object({ name: z.string(), description: z.string().optional() }))
          .min(1)
          .max(200),
      }),
      output: z.object({ intent: z.string().nullable(), confidence: z.number() }),
    },
    answer: {
      input: z.object({
        question: z.string().max(4000).describe("the customer's question"),
        passages: z
          .array(z.object({ id: z.string(), text: z.string() }))
          .max(20)
          .describe('knowledge-base passages the answer may use'),
        language: z.enum(['en', 'zh-CN']).optional().describe('the language to answer in'),
      }),
      output: z.object({ answer: z.string().nullable(), citations: z.array(z.string()) }),
    },
    draftReply: {
      input: z.object({
        transcript,
        guidance: z.string().max(2000).optional().describe('what the agent wants the reply to say'),
        language: z.enum(['en', 'zh-CN']).optional().describe('the language to answer in'),
      }),
      output: z.object({ text: z.string() }),
    },
    summarize: {
      input: z.object({
        transcript,
        language: z.enum(['en', 'zh-CN']).optional().describe('the language to answer in'),
      }),
      output: z.object({ summary: z.string() }),
    },
    sentiment: {
      input: z.object({ text: z.string().max(4000).describe('the text to rate') }),
      output: z.object({ label: z.enum(['positive', 'neutral', 'negative']), score: z.number().min(-1).max(1) }),
    },
  },
} as const
