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
    intents: z.array(portName).min(1).max(50),
    text: z.string().max(500).default('input.text'),
    minConfidence: z.number().min(0).max(1).default(0),
    variable: varName.default('intent'),
  }),
  fields: {
    intents: {
      label: { en: 'Intents', 'zh-CN': '意图' },
      help: {
        en: 'The intents that get their own port, e.g. order-status, refund; any other goes to `other`.',
        'zh-CN': '拥有独立端口的意图，如 order-status、refund；其他意图走 other。',
      },
    },
    text: {
      label: { en: 'Text to classify', 'zh-CN': '待识别文本' },
      help: {
        en: "An expression giving the text; input.text is the customer's last message.",
        'zh-CN': '给出文本的表达式；input.text 是客户最新的一条消息。',
      },
    },
    minConfidence: {
      label: { en: 'Minimum confidence', 'zh-CN': '最低置信度' },
      help: {
        en: 'From 0 to 1; a less confident result goes to `other`.',
        'zh-CN': '0 到 1；置信度低于它的结果走 other。',
      },
    },
    variable: {
      label: { en: 'Save the intent as', 'zh-CN': '意图存入变量' },
      help: {
        en: 'Gets the intent name; <variable>Confidence gets its confidence.',
        'zh-CN': '保存意图名称；<变量名>Confidence 保存置信度。',
      },
    },
  },
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
  fields: {
    text: {
      label: { en: 'Search for', 'zh-CN': '检索文本' },
      help: {
        en: "An expression giving the text; input.text is the customer's last message.",
        'zh-CN': '给出文本的表达式；input.text 是客户最新的一条消息。',
      },
    },
    send: {
      label: { en: 'Send the answer', 'zh-CN': '直接发送答案' },
      help: {
        en: 'Off: the answer is only saved in the variable.',
        'zh-CN': '关闭时只把答案存入变量，不发送。',
      },
    },
    variable: {
      label: { en: 'Save the answer as', 'zh-CN': '答案存入变量' },
    },
  },
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
    pattern: z.string().max(500).optional(),
    text: z.string().max(500).default('input.text'),
    variable: varName,
  }),
  fields: {
    entity: {
      label: { en: 'Look for', 'zh-CN': '提取内容' },
      options: {
        'order-number': { en: 'An order number', 'zh-CN': '订单号' },
        phone: { en: 'A phone number', 'zh-CN': '电话号码' },
        email: { en: 'An email address', 'zh-CN': '邮箱地址' },
        'tracking-number': { en: 'A tracking number', 'zh-CN': '运单号' },
        pattern: { en: 'A custom pattern', 'zh-CN': '自定义正则' },
      },
    },
    pattern: {
      label: { en: 'Pattern', 'zh-CN': '正则表达式' },
      help: {
        en: 'For a custom pattern: a regular expression; its first group (or the whole match) is kept.',
        'zh-CN': '自定义正则时填写；保留第一个分组（没有分组则保留整个匹配）。',
      },
    },
    text: {
      label: { en: 'Search in', 'zh-CN': '从哪段文本提取' },
      help: {
        en: "An expression giving the text; input.text is the customer's last message.",
        'zh-CN': '给出文本的表达式；input.text 是客户最新的一条消息。',
      },
    },
    variable: {
      label: { en: 'Save it as', 'zh-CN': '结果存入变量' },
      help: {
        en: 'e.g. orderNumber, then read as vars.orderNumber.',
        'zh-CN': '如 orderNumber，之后用 vars.orderNumber 读取。',
      },
    },
  },
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
