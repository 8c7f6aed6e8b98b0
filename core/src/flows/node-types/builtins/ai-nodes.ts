import { z } from 'zod'
import { defineNodeType } from '../define-node-type.js'

const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/)
const portName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/)

export const classifyIntentNode = defineNodeType({
  type: 'classify-intent',
  title: { en: 'Classify intent', 'zh-CN': '意图识别' },
  description: {
    en: "Classifies the customer's message with the NLU and goes to the port named after the intent, or `other` below the confidence threshold.",
    'zh-CN': '用意图识别判断客户消息，走同名端口；置信度不足走 other。',
  },
  category: 'ai',
  config: z.strictObject({
    intents: z.array(portName).min(1).max(50).describe('intents that get their own port'),
    text: z.string().max(500).default('input.text').describe('expression giving the text to classify'),
    minConfidence: z.number().min(0).max(1).default(0),
    variable: varName.default('intent'),
  }),
  ports: (config) => [...(config.intents ?? []), 'other'],
  requiredPorts: ['other'],
  expressionFields: [{ path: 'text', kind: 'expression' }],
  async execute(ctx) {
    const text = String((await ctx.evaluate(ctx.node.config.text)) ?? '')
    const result = await ctx.effects.classifyIntent(text)
    ctx.vars[ctx.node.config.variable] = result.intent
    ctx.vars[`${ctx.node.config.variable}Confidence`] = result.confidence
    const known =
      result.intent &&
      ctx.node.config.intents.includes(result.intent) &&
      result.confidence >= ctx.node.config.minConfidence
    return { next: known ? result.intent! : 'other', output: result }
  },
})

export const kbAnswerNode = defineNodeType({
  type: 'kb-answer',
  title: { en: 'Knowledge-base answer', 'zh-CN': '知识库回答' },
  description: {
    en: 'Searches the knowledge base for the message; sends the best answer (`answered`) or goes to `no-answer`.',
    'zh-CN': '在知识库中检索，发送最佳答案（answered），无匹配走 no-answer。',
  },
  category: 'ai',
  config: z.strictObject({
    text: z.string().max(500).default('input.text'),
    send: z.boolean().default(true),
    variable: varName.default('kbAnswer'),
  }),
  ports: ['answered', 'no-answer'],
  requiredPorts: ['no-answer'],
  expressionFields: [{ path: 'text', kind: 'expression' }],
  async execute(ctx) {
    const text = String((await ctx.evaluate(ctx.node.config.text)) ?? '')
    const [best] = await ctx.effects.searchKnowledgeBase(text, 1)
    if (!best) return { next: 'no-answer' }
    ctx.vars[ctx.node.config.variable] = best.answer
    if (ctx.node.config.send) {
      if (ctx.channel === 'voice') ctx.emit({ kind: 'voice.play', text: best.answer })
      ctx.emit({ kind: 'message', text: best.answer })
    }
    return { next: 'answered', output: { id: best.id, score: best.score } }
  },
})

const entityPatterns: Record<string, RegExp> = {
  // after "订单"/"order" the number must hold a digit, or "order number is 123456" would give "number"
  'order-number':
    /(?:订单号?|order(?:\s*(?:no\.?|number|#))?)\s*[:：#]?\s*((?=[A-Z-]*\d)[A-Z0-9-]{5,24})|\b(\d{5,20})\b/i,
  phone: /(\+?\d[\d\s-]{6,18}\d)/,
  email: /([^\s@，。,]+@[^\s@，。,]+\.[A-Za-z]{2,})/,
  'tracking-number': /\b([A-Z]{2}\d{9}[A-Z]{2}|[A-Z]{0,4}\d{10,16})\b/,
}

export const extractEntityNode = defineNodeType({
  type: 'extract-entity',
  title: { en: 'Extract entity', 'zh-CN': '提取实体' },
  description: {
    en: 'Finds an order number, phone, email, tracking number or a custom pattern in the text and stores it.',
    'zh-CN': '从文本中提取订单号、电话、邮箱、运单号或自定义模式并保存。',
  },
  category: 'ai',
  config: z.strictObject({
    entity: z.enum(['order-number', 'phone', 'email', 'tracking-number', 'pattern']),
    pattern: z
      .string()
      .max(500)
      .optional()
      .describe('for entity=pattern: a regular expression; its first group (or the match) is kept'),
    text: z.string().max(500).default('input.text'),
    variable: varName,
  }),
  ports: ['found', 'not-found'],
  requiredPorts: ['found'],
  expressionFields: [{ path: 'text', kind: 'expression' }],
  async execute(ctx) {
    const { entity, pattern, variable } = ctx.node.config
    const text = String((await ctx.evaluate(ctx.node.config.text)) ?? '')
    const regex = entity === 'pattern' ? new RegExp(pattern ?? '(?!)') : entityPatterns[entity]!
    const match = regex.exec(text)
    const value = match ? (match.slice(1).find((g) => g !== undefined) ?? match[0]).trim() : undefined
    if (!value) return { next: 'not-found' }
    ctx.vars[variable] = entity === 'phone' ? value.replace(/[\s-]/g, '') : value
    return { next: 'found', output: { [variable]: ctx.vars[variable] } }
  },
})
