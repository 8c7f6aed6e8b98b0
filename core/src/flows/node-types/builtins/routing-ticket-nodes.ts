import { z } from 'zod'
import { parseDuration } from '../../../config/index.js'
import { defineNodeType, duration, localizedText } from '../define-node-type.js'
import { say } from '../localize.js'

export const handoffNode = defineNodeType({
  type: 'handoff',
  title: { en: 'Hand off to queue', 'zh-CN': '转人工队列' },
  description: {
    en: 'Puts the conversation in a queue for an agent, with a priority and the skills needed. When `closed` is connected and the queue is outside its business hours, goes there instead.',
    'zh-CN': '把会话放入人工队列，带优先级和所需技能。若连接了 closed 端口且队列不在营业时间内，则改走 closed。',
  },
  category: 'routing',
  config: z.strictObject({
    queue: z.string().min(1).max(100),
    priority: z
      .union([z.number().int().min(0).max(100), z.string().max(500)])
      .default(0)
      .describe('a number, or an expression giving one'),
    skills: z.array(z.string().max(50)).max(20).default([]),
    message: localizedText.optional(),
  }),
  ports: ['next', 'closed'],
  expressionFields: [
    { path: 'priority', kind: 'expression' },
    { path: 'message', kind: 'template' },
  ],
  async execute(ctx) {
    const { queue, skills, message } = ctx.node.config
    // only a flow that says what to do after hours asks; without `closed` the conversation waits in line
    if (ctx.connected('closed')) {
      const hours = await ctx.effects.queueOpen(queue, ctx.now())
      if (!hours.open)
        return { next: 'closed', output: { queue, open: false, opensAt: hours.nextChangeAt?.toISOString() ?? null } }
    }
    const priority =
      typeof ctx.node.config.priority === 'number'
        ? ctx.node.config.priority
        : Number(await ctx.evaluate(ctx.node.config.priority)) || 0
    if (message) {
      const text = await say(ctx, message)
      if (ctx.channel === 'voice') ctx.emit({ kind: 'voice.play', text })
      ctx.emit({ kind: 'message', text })
    }
    await ctx.effects.handoff({ queue, priority, skills })
    ctx.emit({ kind: 'handoff', queue, priority, skills })
    return { next: 'next', output: { queue, priority } }
  },
})

export const setAttributesNode = defineNodeType({
  type: 'set-attributes',
  title: { en: 'Set tags, priority, attributes', 'zh-CN': '设置标签/优先级/属性' },
  description: {
    en: 'Tags the conversation, sets its priority and custom attributes.',
    'zh-CN': '为会话打标签、设置优先级和自定义属性。',
  },
  category: 'routing',
  config: z.strictObject({
    tags: z.array(z.string().max(50)).max(20).optional(),
    priority: z.number().int().min(0).max(100).optional(),
    attributes: z.record(z.string(), z.string().max(2000)).optional().describe('name → expression'),
  }),
  ports: ['next'],
  expressionFields: [{ path: 'attributes.*', kind: 'expression' }],
  async execute(ctx) {
    const attributes: Record<string, unknown> = {}
    for (const [name, expression] of Object.entries(ctx.node.config.attributes ?? {}))
      attributes[name] = await ctx.evaluate(expression)
    await ctx.effects.updateConversation({ tags: ctx.node.config.tags, priority: ctx.node.config.priority, attributes })
    return { next: 'next', output: { tags: ctx.node.config.tags, priority: ctx.node.config.priority, attributes } }
  },
})

export const createTicketNode = defineNodeType({
  type: 'create-ticket',
  title: { en: 'Create ticket', 'zh-CN': '创建工单' },
  description: {
    en: 'Opens a ticket for the conversation; its number is stored in a variable.',
    'zh-CN': '为会话创建工单，工单号存入变量。',
  },
  category: 'tickets',
  config: z.strictObject({
    subject: z.string().min(1).max(300),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
    category: z.string().max(100).optional(),
    tier: z.enum(['L1', 'L2', 'L3']).default('L1'),
    variable: z.string().default('ticketId'),
  }),
  ports: ['next'],
  expressionFields: [{ path: 'subject', kind: 'template' }],
  async execute(ctx) {
    const { id } = await ctx.effects.createTicket({
      subject: await ctx.render(ctx.node.config.subject),
      priority: ctx.node.config.priority,
      category: ctx.node.config.category,
      tier: ctx.node.config.tier,
    })
    ctx.vars[ctx.node.config.variable] = id
    ctx.emit({ kind: 'ticket.created', id })
    return { next: 'next', output: { id } }
  },
})

export const updateTicketNode = defineNodeType({
  type: 'update-ticket',
  title: { en: 'Update ticket', 'zh-CN': '更新工单' },
  description: {
    en: 'Changes the status, priority or tier (escalation) of a ticket.',
    'zh-CN': '修改工单状态、优先级或级别（升级）。',
  },
  category: 'tickets',
  config: z.strictObject({
    ticket: z.string().default('vars.ticketId').describe('expression giving the ticket number'),
    status: z.enum(['open', 'pending', 'resolved', 'closed']).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    tier: z.enum(['L1', 'L2', 'L3']).optional(),
  }),
  ports: ['next'],
  expressionFields: [{ path: 'ticket', kind: 'expression' }],
  async execute(ctx) {
    const id = String(await ctx.evaluate(ctx.node.config.ticket))
    await ctx.effects.updateTicket({
      id,
      status: ctx.node.config.status,
      priority: ctx.node.config.priority,
      tier: ctx.node.config.tier,
    })
    ctx.emit({ kind: 'ticket.updated', id, status: ctx.node.config.status, tier: ctx.node.config.tier })
    return { next: 'next' }
  },
})

export const scheduleCallbackNode = defineNodeType({
  type: 'schedule-callback',
  title: { en: 'Schedule callback', 'zh-CN': '预约回电' },
  description: {
    en: 'Promises a call back at a time (an expression, or after a delay); an agent gets it when it is due.',
    'zh-CN': '预约在某时间回电（表达式或延迟），到期分配给坐席。',
  },
  category: 'tickets',
  config: z.strictObject({
    at: z.string().max(500).optional().describe('JSONata giving an ISO time'),
    after: duration.optional(),
    note: z.string().max(1000).default(''),
  }),
  ports: ['next'],
  expressionFields: [
    { path: 'at', kind: 'expression' },
    { path: 'note', kind: 'template' },
  ],
  async execute(ctx) {
    const at = ctx.node.config.at
      ? new Date(String(await ctx.evaluate(ctx.node.config.at)))
      : new Date(ctx.now().getTime() + (parseDuration(ctx.node.config.after ?? '1h') ?? 3_600_000))
    const { id } = await ctx.effects.scheduleCallback({ at, note: await ctx.render(ctx.node.config.note) })
    ctx.vars.callbackAt = at.toISOString()
    ctx.emit({ kind: 'callback.scheduled', id, at: at.toISOString() })
    return { next: 'next', output: { id, at: at.toISOString() } }
  },
})

export const sendSurveyNode = defineNodeType({
  type: 'send-survey',
  title: { en: 'Send survey', 'zh-CN': '发送满意度调查' },
  description: {
    en: 'Sends a satisfaction survey now or after a delay (e.g. 72h after resolution).',
    'zh-CN': '立即或延迟（如解决后 72 小时）发送满意度调查。',
  },
  category: 'tickets',
  config: z.strictObject({ survey: z.string().min(1).max(100).default('csat'), after: duration.default(0) }),
  ports: ['next'],
  async execute(ctx) {
    const at = new Date(ctx.now().getTime() + (parseDuration(ctx.node.config.after) ?? 0))
    const { id } = await ctx.effects.sendSurvey({ at, survey: ctx.node.config.survey })
    ctx.emit({ kind: 'survey.scheduled', id, survey: ctx.node.config.survey, at: at.toISOString() })
    return { next: 'next' }
  },
})
