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
    priority: z.union([z.number().int().min(0).max(100), z.string().max(500)]).default(0),
    skills: z.array(z.string().max(50)).max(20).default([]),
    message: localizedText.optional(),
  }),
  fields: {
    queue: {
      label: { en: 'Queue', 'zh-CN': '队列' },
      help: {
        en: 'The name of the queue the conversation waits in, e.g. After-sales.',
        'zh-CN': '会话排队的队列名称，如 售后。',
      },
    },
    priority: {
      label: { en: 'Priority', 'zh-CN': '优先级' },
      help: {
        en: 'From 0 to 100, higher is served first: a number, or an expression giving one, e.g. contact.vip ? 50 : 0',
        'zh-CN': '0–100，越高越先接待：填数字，或给出数字的表达式，如 contact.vip ? 50 : 0',
      },
    },
    skills: {
      label: { en: 'Skills needed', 'zh-CN': '所需技能' },
      help: {
        en: 'What the agent who takes it must know, e.g. english, refunds.',
        'zh-CN': '接待坐席需具备的技能，如 english、退款。',
      },
    },
    message: {
      label: { en: 'Message while waiting', 'zh-CN': '转接提示语' },
      help: {
        en: 'Optional: said to the customer as they join the queue, e.g. “Connecting you to an agent…”',
        'zh-CN': '可选：进入队列时告诉客户的话，如“正在为您转接人工客服…”',
      },
    },
  },
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
    attributes: z.record(z.string(), z.string().max(2000)).optional(),
  }),
  fields: {
    tags: {
      label: { en: 'Tags', 'zh-CN': '标签' },
      help: { en: 'Tags for the conversation, e.g. vip, refund.', 'zh-CN': '会话的标签，如 vip、退款。' },
    },
    priority: {
      label: { en: 'Priority', 'zh-CN': '优先级' },
      help: { en: 'From 0 to 100, higher is served first.', 'zh-CN': '0–100，越高越先接待。' },
    },
    attributes: {
      label: { en: 'Attributes', 'zh-CN': '自定义属性' },
      help: {
        en: 'Name → a JSONata expression giving the value, e.g. orderNumber → vars.orderNumber',
        'zh-CN': '名称 → 给出取值的 JSONata 表达式，如 orderNumber → vars.orderNumber',
      },
    },
  },
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
  fields: {
    subject: {
      label: { en: 'Subject', 'zh-CN': '工单标题' },
      help: {
        en: 'The ticket’s subject; {{ }} inserts a variable, e.g. Refund for order {{ vars.orderNumber }}',
        'zh-CN': '用 {{ }} 插入变量，如 订单 {{ vars.orderNumber }} 退款',
      },
    },
    priority: {
      label: { en: 'Priority', 'zh-CN': '优先级' },
      options: {
        low: { en: 'Low', 'zh-CN': '低' },
        normal: { en: 'Normal', 'zh-CN': '普通' },
        high: { en: 'High', 'zh-CN': '高' },
        urgent: { en: 'Urgent', 'zh-CN': '紧急' },
      },
    },
    category: {
      label: { en: 'Category', 'zh-CN': '分类' },
      help: { en: 'Optional, e.g. Refund.', 'zh-CN': '可选，如 退款。' },
    },
    tier: {
      label: { en: 'Support tier', 'zh-CN': '支持级别' },
      options: {
        L1: { en: 'L1 · first line', 'zh-CN': 'L1 · 一线' },
        L2: { en: 'L2 · specialists', 'zh-CN': 'L2 · 二线专员' },
        L3: { en: 'L3 · experts', 'zh-CN': 'L3 · 专家' },
      },
    },
    variable: {
      label: { en: 'Save the ticket number as', 'zh-CN': '工单号存入变量' },
      help: {
        en: 'Update ticket reads it from here (vars.ticketId).',
        'zh-CN': '“更新工单”从这里读取（vars.ticketId）。',
      },
    },
  },
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
    ticket: z.string().default('vars.ticketId'),
    status: z.enum(['open', 'pending', 'resolved', 'closed']).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    tier: z.enum(['L1', 'L2', 'L3']).optional(),
  }),
  fields: {
    ticket: {
      label: { en: 'Ticket', 'zh-CN': '工单' },
      help: {
        en: 'An expression giving the ticket number; vars.ticketId is the one Create ticket saved.',
        'zh-CN': '给出工单号的表达式；vars.ticketId 即“创建工单”保存的工单号。',
      },
    },
    status: {
      label: { en: 'Status', 'zh-CN': '状态' },
      help: { en: 'Empty: unchanged.', 'zh-CN': '留空则不变。' },
      options: {
        open: { en: 'Open', 'zh-CN': '处理中' },
        pending: { en: 'Pending', 'zh-CN': '待客户回复' },
        resolved: { en: 'Resolved', 'zh-CN': '已解决' },
        closed: { en: 'Closed', 'zh-CN': '已关闭' },
      },
    },
    priority: {
      label: { en: 'Priority', 'zh-CN': '优先级' },
      help: { en: 'Empty: unchanged.', 'zh-CN': '留空则不变。' },
      options: {
        low: { en: 'Low', 'zh-CN': '低' },
        normal: { en: 'Normal', 'zh-CN': '普通' },
        high: { en: 'High', 'zh-CN': '高' },
        urgent: { en: 'Urgent', 'zh-CN': '紧急' },
      },
    },
    tier: {
      label: { en: 'Support tier', 'zh-CN': '支持级别' },
      help: {
        en: 'A higher tier escalates the ticket. Empty: unchanged.',
        'zh-CN': '提高级别即升级工单。留空则不变。',
      },
      options: {
        L1: { en: 'L1 · first line', 'zh-CN': 'L1 · 一线' },
        L2: { en: 'L2 · specialists', 'zh-CN': 'L2 · 二线专员' },
        L3: { en: 'L3 · experts', 'zh-CN': 'L3 · 专家' },
      },
    },
  },
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
    en: 'Promises to get back to the customer: at a time, after a delay, or when the queue next opens. When due, the callback joins the queue and an agent gets it; a closed queue moves it to its next opening.',
    'zh-CN':
      '承诺回复客户：指定时间、延迟之后或队列下次开放时。到期后回电进入队列分配给坐席；队列未营业时顺延到下次开放。',
  },
  category: 'tickets',
  config: z.strictObject({
    at: z.string().max(500).optional().describe('JSONata giving an ISO time'),
    after: duration.optional(),
    nextOpening: z
      .boolean()
      .optional()
      .describe("at the queue's next opening (now when it is open); instead of at/after"),
    queue: z
      .string()
      .max(100)
      .optional()
      .describe("the queue whose agents call back; the conversation's when not given"),
    mode: z
      .enum(['voice', 'message'])
      .default('voice')
      .describe("voice: an agent calls the customer's phone; message: an agent answers on the customer's channel"),
    window: duration.optional().describe('how long after it is first due the promise holds; no limit when not given'),
    phone: z
      .string()
      .max(500)
      .optional()
      .describe("expression giving the number to call; the contact's phone when not given"),
    note: z.string().max(1000).default(''),
  }),
  // the English help of most fields is their .describe() above
  fields: {
    at: {
      label: { en: 'At', 'zh-CN': '回电时间' },
      help: { 'zh-CN': '给出 ISO 时间的 JSONata 表达式' },
    },
    after: {
      label: { en: 'After', 'zh-CN': '延迟' },
      help: {
        en: 'A delay from now, e.g. 2h; one hour when nothing else is given.',
        'zh-CN': '从现在起的延迟，如 2h；都不填时为 1 小时。',
      },
    },
    nextOpening: {
      label: { en: 'When the queue next opens', 'zh-CN': '队列下次开放时' },
      help: { 'zh-CN': '在队列下次开放时回电（当前开放则立即）；代替“回电时间”和“延迟”' },
    },
    queue: {
      label: { en: 'Queue', 'zh-CN': '队列' },
      help: { 'zh-CN': '由哪个队列的坐席回电；不填则用会话所在队列' },
    },
    mode: {
      label: { en: 'How', 'zh-CN': '回复方式' },
      help: { 'zh-CN': '电话：坐席拨打客户电话；消息：坐席在客户所在渠道回复' },
      options: { voice: { en: 'Phone call', 'zh-CN': '电话' }, message: { en: 'Message', 'zh-CN': '消息' } },
    },
    window: {
      label: { en: 'Valid for', 'zh-CN': '有效期' },
      help: { 'zh-CN': '首次到期后承诺保持多久；不填则不限' },
    },
    phone: {
      label: { en: 'Phone number', 'zh-CN': '电话号码' },
      help: { 'zh-CN': '给出回拨号码的表达式；不填则用联系人的电话' },
    },
    note: {
      label: { en: 'Note for the agent', 'zh-CN': '给坐席的备注' },
      help: {
        en: 'e.g. Call back about order {{ vars.orderNumber }}',
        'zh-CN': '如 关于订单 {{ vars.orderNumber }} 回电',
      },
    },
  },
  ports: ['next'],
  expressionFields: [
    { path: 'at', kind: 'expression' },
    { path: 'phone', kind: 'expression' },
    { path: 'note', kind: 'template' },
  ],
  async execute(ctx) {
    const { config } = ctx.node
    // "when the queue next opens": no time of our own, the callbacks module finds the opening
    const at = config.nextOpening
      ? undefined
      : config.at
        ? new Date(String(await ctx.evaluate(config.at)))
        : new Date(ctx.now().getTime() + (parseDuration(config.after ?? '1h') ?? 3_600_000))
    if (at && Number.isNaN(at.getTime())) throw new Error(`schedule-callback: "at" gave no time (${config.at})`)
    const phone = config.phone ? await ctx.evaluate(config.phone) : undefined
    const { id, dueAt } = await ctx.effects.scheduleCallback({
      ...(at ? { at } : {}),
      note: await ctx.render(config.note),
      ...(phone !== undefined && phone !== null && phone !== '' ? { phone: String(phone) } : {}),
      ...(config.queue ? { queue: config.queue } : {}),
      mode: config.mode,
      ...(config.window !== undefined ? { windowMs: parseDuration(config.window) ?? undefined } : {}),
    })
    const when = (dueAt ?? at ?? ctx.now()).toISOString()
    ctx.vars.callbackAt = when
    ctx.emit({ kind: 'callback.scheduled', id, at: when })
    return { next: 'next', output: { id, at: when } }
  },
})

export const sendSurveyNode = defineNodeType({
  type: 'send-survey',
  title: { en: 'Send survey', 'zh-CN': '发送满意度调查' },
  description: {
    en: "Schedules the follow-up survey of the conversation's resolution (CSAT 1–5 or NPS 0–10) on the customer's channel, now or after a delay (e.g. 72h). It is the same survey as the automatic one: whichever is scheduled first counts, never both.",
    'zh-CN':
      '为本次会话的解决安排回访调查（CSAT 1–5 分或 NPS 0–10 分），立即或延迟（如 72 小时）在客户所在渠道发送。与自动回访是同一份调查：先安排的生效，不会发两次。',
  },
  category: 'tickets',
  config: z.strictObject({
    kind: z
      .enum(['csat', 'nps'])
      .optional()
      .describe("csat (1–5) or nps (0–10); the survey settings' kind when not given"),
    survey: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'older documents\' name of the survey: "csat" or "nps" is the kind, other names use the settings\' kind; use kind',
      ),
    after: duration.default(0),
  }),
  // the English help of kind and survey is their .describe() above
  fields: {
    kind: {
      label: { en: 'Survey', 'zh-CN': '调查类型' },
      help: { 'zh-CN': 'CSAT（1–5 分）或 NPS（0–10 分）；不填则用满意度调查设置中的类型' },
      options: {
        csat: { en: 'CSAT (1–5)', 'zh-CN': 'CSAT 满意度（1–5）' },
        nps: { en: 'NPS (0–10)', 'zh-CN': 'NPS 推荐度（0–10）' },
      },
    },
    survey: {
      label: { en: 'Survey name (older flows)', 'zh-CN': '调查名称（旧版流程）' },
      help: { 'zh-CN': '旧版流程中的调查名称："csat" 或 "nps" 即类型，其他名称使用设置中的类型；请改用“调查类型”' },
    },
    after: {
      label: { en: 'Send after', 'zh-CN': '延迟发送' },
      help: { en: 'How long from now, e.g. 72h; 0 is now.', 'zh-CN': '从现在起多久后发送，如 72h；0 为立即。' },
    },
  },
  ports: ['next'],
  async execute(ctx) {
    const { kind, survey, after } = ctx.node.config
    const at = new Date(ctx.now().getTime() + (parseDuration(after) ?? 0))
    const { id } = await ctx.effects.sendSurvey({ at, survey: kind ?? survey ?? 'default' })
    // no id: this channel gets no surveys (the survey settings)
    ctx.emit({ kind: 'survey.scheduled', id: id || null, survey: kind ?? survey ?? 'default', at: at.toISOString() })
    return { next: 'next', output: { id: id || null, at: at.toISOString() } }
  },
})
