import { chatMessage, definePlugin, z } from '@switchboard/plugin-sdk'

/**
 * What the host, the flow builder and the console know about the plugin without running its
 * code. `switchboard plugin build` turns it into dist/manifest.json.
 */
export default definePlugin({
  name: '{{NAME}}',
  version: '0.1.0',
  requires: { core: '{{CORE_RANGE}}' },
  kinds: ['ai'],
  title: { en: '{{TITLE}}', 'zh-CN': '{{TITLE}}' },
  description: {
    en: 'TODO: say in one sentence which model this plugin brings to flows and agents',
    'zh-CN': 'TODO：用一句话说明这个插件为流程和坐席接入了哪个模型',
  },
  icon: 'icon.svg',
  readme: 'README.md',
  config: z.object({
    baseUrl: z.url().describe('Base URL of an OpenAI-compatible API, e.g. https://api.deepseek.com/v1'),
    model: z.string().min(1).describe('The model to use, e.g. deepseek-chat'),
  }),
  secrets: z.object({
    apiKey: z.string().min(1).describe('API key of the model provider, sent as a Bearer token'),
  }),
  permissions: { hosts: ['config:baseUrl'] },
  limits: { timeoutMs: 60_000 },
  actions: {
    // the shape of the llm capability's `complete`; implementing `llm` means all of its methods
    complete: {
      title: { en: 'Complete a chat', 'zh-CN': '对话补全' },
      description: {
        en: 'Sends the messages to the model and returns its reply',
        'zh-CN': '把消息发给模型并返回它的回复',
      },
      input: z.object({
        messages: z.array(chatMessage).min(1).max(100).describe('The conversation so far, oldest first'),
        temperature: z.number().min(0).max(2).optional().describe('Sampling temperature: 0 is focused, 2 is varied'),
        maxTokens: z.number().int().min(1).max(8192).optional().describe('The longest reply, in tokens'),
      }),
      output: z.object({ text: z.string(), model: z.string().optional() }),
    },
  },
  nodes: {
    generateReply: {
      title: { en: 'Generate a reply', 'zh-CN': '生成回复' },
      description: {
        en: "Asks the model to answer the customer's last message, following the instructions",
        'zh-CN': '按照指示让模型回答客户的最后一条消息',
      },
      category: 'ai',
      config: z.object({
        instructions: z.string().min(1).max(4000).describe('What the model is told to do (its system message)'),
        saveAs: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .default('reply')
          .describe('The variable that receives the reply'),
        send: z.boolean().default(true).describe('Also send the reply to the customer'),
      }),
      ports: ['next', 'failed'],
      channels: ['text'],
    },
  },
})
