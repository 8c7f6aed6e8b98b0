import { definePlugin, llm, z, type PluginDefinition } from '@switchboard/plugin-sdk'

const language = z.enum(['en', 'zh-CN'])

/** What the admin fills in; every field becomes a form field in the console. */
export const config = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.openai.com/v1')
    .describe(
      'Base URL of the Chat Completions API, without /chat/completions. OpenAI: https://api.openai.com/v1; DeepSeek: https://api.deepseek.com; Qwen: https://dashscope.aliyuncs.com/compatible-mode/v1; Ollama: http://localhost:11434/v1; vLLM: http://<host>:8000/v1',
    ),
  model: z
    .string()
    .min(1)
    .max(200)
    .default('gpt-4o-mini')
    .describe('Model name as the server knows it, e.g. gpt-4o-mini, deepseek-chat, qwen-plus, qwen2.5:7b'),
  temperature: z
    .number()
    .min(0)
    .max(2)
    .default(0.3)
    .describe('Sampling temperature for drafted replies, summaries and free completions (classification uses 0)'),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(30_000)
    .describe('How long to wait for the model, in milliseconds, before giving up (the call can be retried)'),
  language: language
    .default('zh-CN')
    .describe('Language of prompts and answers when a call does not say (en or zh-CN)'),
  jsonMode: z
    .boolean()
    .default(true)
    .describe(
      'Ask for response_format json_object where JSON is expected; turn off for servers that reject it (the plugin also retries once without it)',
    ),
}) satisfies PluginDefinition['config']

/** Stored encrypted; only this plugin's handlers see them. */
export const secrets = z.object({
  apiKey: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe('API key sent as "Authorization: Bearer <key>"; leave empty for a local Ollama or vLLM without auth'),
}) satisfies PluginDefinition['secrets']

const m = llm.methods

export default definePlugin({
  name: 'llm-openai-compatible',
  version: '1.0.0',
  requires: { core: '>=0.1.0 <1.0.0' },
  kinds: ['ai', 'nodes'],
  title: { en: 'OpenAI-compatible LLM', 'zh-CN': 'OpenAI 兼容大模型' },
  description: {
    en: 'Intent classification, grounded answers, reply drafts, summaries and sentiment from any OpenAI-compatible Chat Completions API: OpenAI, DeepSeek, Qwen, Ollama or vLLM.',
    'zh-CN':
      '通过任意 OpenAI 兼容的 Chat Completions 接口（OpenAI、DeepSeek、通义千问、Ollama、vLLM）提供意图识别、基于知识的问答、回复草稿、会话摘要和情绪分析。',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  author: 'Switchboard',
  config,
  secrets,
  permissions: { hosts: ['config:baseUrl'] },
  implements: ['llm'],
  actions: {
    complete: {
      title: { en: 'Complete a chat', 'zh-CN': '对话补全' },
      description: {
        en: 'Sends messages to the model and returns its reply.',
        'zh-CN': '把消息发给模型并返回它的回复。',
      },
      input: m.complete.input,
      output: m.complete.output,
    },
    classifyIntent: {
      title: { en: 'Classify intent', 'zh-CN': '识别意图' },
      description: {
        en: 'Picks which of the given intents a customer message expresses, or none.',
        'zh-CN': '判断客户消息属于给定意图中的哪一个，或都不属于。',
      },
      input: m.classifyIntent.input,
      output: m.classifyIntent.output,
    },
    answer: {
      title: { en: 'Answer from passages', 'zh-CN': '基于资料回答' },
      description: {
        en: 'Answers a question only from the given knowledge-base passages and cites them; no answer when they do not cover it.',
        'zh-CN': '只根据给定的知识库段落回答问题并注明出处；段落中没有答案时不作答。',
      },
      input: m.answer.input,
      output: m.answer.output,
    },
    draftReply: {
      title: { en: 'Draft a reply', 'zh-CN': '起草回复' },
      description: {
        en: 'Drafts the next agent reply to a conversation, streamed as it is written.',
        'zh-CN': '为会话起草客服的下一条回复，边生成边显示。',
      },
      input: m.draftReply.input,
      output: m.draftReply.output,
    },
    summarize: {
      title: { en: 'Summarize a conversation', 'zh-CN': '会话摘要' },
      description: {
        en: 'Summarizes a conversation for the ticket or the next agent, streamed as it is written.',
        'zh-CN': '为工单或下一位客服总结会话内容，边生成边显示。',
      },
      input: m.summarize.input,
      output: m.summarize.output,
    },
    sentiment: {
      title: { en: 'Sentiment', 'zh-CN': '情绪分析' },
      description: {
        en: 'Rates how a customer message feels: positive, neutral or negative, with a score from -1 to 1.',
        'zh-CN': '判断客户消息的情绪：正面、中性或负面，并给出 -1 到 1 的分值。',
      },
      input: m.sentiment.input,
      output: m.sentiment.output,
    },
  },
  nodes: {
    reply: {
      title: { en: 'AI reply', 'zh-CN': 'AI 回复' },
      description: {
        en: "Drafts an answer to the customer's last message with the model and sends it; the text is also kept in a variable.",
        'zh-CN': '用大模型回答客户的最后一条消息并发送，回复文本同时存入变量。',
      },
      category: 'ai',
      config: z.object({
        instructions: z
          .string()
          .max(4000)
          .default('')
          .describe(
            'What the assistant should know and how it should answer (tone, shop policies, what not to promise)',
          ),
        variable: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a variable name, e.g. aiReply')
          .default('aiReply')
          .describe('Variable that receives the reply text'),
      }),
      ports: ['next', 'error'],
      channels: ['text', 'voice'],
    },
  },
})
