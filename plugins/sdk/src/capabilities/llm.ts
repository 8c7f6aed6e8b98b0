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
        messages: z.array(chatMessage).min(1).max(100),
        temperature: z.number().min(0).max(2).optional(),
        maxTokens: z.number().int().min(1).max(8192).optional(),
      }),
      output: z.object({ text: z.string(), model: z.string().optional() }),
    },
    classifyIntent: {
      input: z.object({
        text: z.string().max(4000),
        intents: z
          .array(z.object({ name: z.string(), description: z.string().optional() }))
          .min(1)
          .max(200),
      }),
      output: z.object({ intent: z.string().nullable(), confidence: z.number() }),
    },
    answer: {
      input: z.object({
        question: z.string().max(4000),
        passages: z.array(z.object({ id: z.string(), text: z.string() })).max(20),
        language: z.enum(['en', 'zh-CN']).optional(),
      }),
      output: z.object({ answer: z.string().nullable(), citations: z.array(z.string()) }),
    },
    draftReply: {
      input: z.object({
        transcript,
        guidance: z.string().max(2000).optional(),
        language: z.enum(['en', 'zh-CN']).optional(),
      }),
      output: z.object({ text: z.string() }),
    },
    summarize: {
      input: z.object({ transcript, language: z.enum(['en', 'zh-CN']).optional() }),
      output: z.object({ summary: z.string() }),
    },
    sentiment: {
      input: z.object({ text: z.string().max(4000) }),
      output: z.object({ label: z.enum(['positive', 'neutral', 'negative']), score: z.number().min(-1).max(1) }),
    },
  },
} as const
