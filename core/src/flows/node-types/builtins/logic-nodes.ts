import { createHash } from 'node:crypto'
import { z } from 'zod'
import { businessHoursSchema, isOpen } from '../../../calendar/index.js'
import { parseDuration } from '../../../config/index.js'
import { defineNodeType, duration } from '../define-node-type.js'

const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/)

export const conditionNode = defineNodeType({
  type: 'condition',
  title: { en: 'Condition', 'zh-CN': '条件' },
  description: {
    en: 'Goes to `true` when the expression holds, else `false`. Example: vars.orderTotal > 500',
    'zh-CN': '表达式成立走 true，否则走 false。例：vars.orderTotal > 500',
  },
  category: 'logic',
  config: z.strictObject({ expression: z.string().min(1).max(2000) }),
  fields: {
    expression: {
      label: { en: 'Condition', 'zh-CN': '条件表达式' },
      help: {
        en: 'A JSONata expression, e.g. vars.orderTotal > 500. True goes to `true`, anything else to `false`.',
        'zh-CN': 'JSONata 表达式，如 vars.orderTotal > 500。结果为真走 true，否则走 false。',
      },
    },
  },
  ports: ['true', 'false'],
  requiredPorts: ['true', 'false'],
  expressionFields: [{ path: 'expression', kind: 'expression' }],
  execute: async (ctx) => ({ next: (await ctx.evaluate(ctx.node.config.expression)) === true ? 'true' : 'false' }),
})

export const switchNode = defineNodeType({
  type: 'switch',
  title: { en: 'Switch', 'zh-CN': '分支' },
  description: {
    en: 'Goes to the first case whose expression holds, else `default`.',
    'zh-CN': '走第一个表达式成立的分支，否则走 default。',
  },
  category: 'logic',
  config: z.strictObject({
    cases: z
      .array(z.strictObject({ port: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), when: z.string().min(1).max(2000) }))
      .min(1)
      .max(50),
  }),
  fields: {
    cases: {
      label: { en: 'Cases', 'zh-CN': '分支' },
      help: {
        en: 'Checked in order: the first that holds is taken; when none does, `default`.',
        'zh-CN': '按顺序检查，走第一个成立的分支；都不成立走 default。',
      },
    },
    'cases.*.port': {
      label: { en: 'Port', 'zh-CN': '端口名' },
      help: { en: 'The output port of this case, e.g. vip.', 'zh-CN': '此分支的输出端口，如 vip。' },
    },
    'cases.*.when': {
      label: { en: 'When', 'zh-CN': '条件' },
      help: {
        en: "A JSONata expression, e.g. contact.tier = 'vip'.",
        'zh-CN': "JSONata 表达式，如 contact.tier = 'vip'。",
      },
    },
  },
  ports: (config) => [...(config.cases ?? []).map((c) => c.port), 'default'],
  requiredPorts: ['default'],
  expressionFields: [{ path: 'cases.*.when', kind: 'expression' }],
  async execute(ctx) {
    for (const c of ctx.node.config.cases) if ((await ctx.evaluate(c.when)) === true) return { next: c.port }
    return { next: 'default' }
  },
})

export const setVariablesNode = defineNodeType({
  type: 'set-variables',
  title: { en: 'Set variables', 'zh-CN': '设置变量' },
  description: {
    en: 'Sets variables from expressions, in order. Example: { "name": "greeting", "value": "\'Hi \' & contact.name" }',
    'zh-CN': '按顺序用表达式设置变量。',
  },
  category: 'logic',
  config: z.strictObject({
    assignments: z
      .array(z.strictObject({ name: varName, value: z.string().min(1).max(2000) }))
      .min(1)
      .max(50),
  }),
  fields: {
    assignments: {
      label: { en: 'Assignments', 'zh-CN': '赋值' },
      help: {
        en: 'Set in order: a later one can use an earlier one.',
        'zh-CN': '按顺序设置，后面的可以用前面的结果。',
      },
    },
    'assignments.*.name': {
      label: { en: 'Variable', 'zh-CN': '变量名' },
      help: { en: 'e.g. greeting, then read as vars.greeting.', 'zh-CN': '如 greeting，之后用 vars.greeting 读取。' },
    },
    'assignments.*.value': {
      label: { en: 'Value', 'zh-CN': '值' },
      help: {
        en: "A JSONata expression, e.g. 'Hi ' & contact.name",
        'zh-CN': "JSONata 表达式，如 '您好，' & contact.name",
      },
    },
  },
  ports: ['next'],
  expressionFields: [{ path: 'assignments.*.value', kind: 'expression' }],
  async execute(ctx) {
    const output: Record<string, unknown> = {}
    for (const a of ctx.node.config.assignments) output[a.name] = ctx.vars[a.name] = await ctx.evaluate(a.value)
    return { next: 'next', output }
  },
})

export const businessHoursNode = defineNodeType({
  type: 'business-hours',
  title: { en: 'Business hours', 'zh-CN': '营业时间' },
  description: {
    en: 'Goes to `open` or `closed` by weekly hours in a time zone, public holidays and special dates.',
    'zh-CN': '按时区内的每周营业时间、法定节假日和特殊日期走 open 或 closed。',
  },
  category: 'logic',
  config: businessHoursSchema,
  fields: {
    timezone: {
      label: { en: 'Time zone', 'zh-CN': '时区' },
      help: {
        en: 'An IANA time zone, e.g. Asia/Shanghai or Europe/Berlin.',
        'zh-CN': 'IANA 时区名，如 Asia/Shanghai、Europe/Berlin。',
      },
    },
    weekly: {
      label: { en: 'Weekly hours', 'zh-CN': '每周营业时间' },
      help: {
        en: 'Opening hours of each weekday as from–to (HH:MM, up to 24:00); a day without hours is closed.',
        'zh-CN': '每天的营业时段（HH:MM 起止，最晚 24:00）；没有时段的日子不营业。',
      },
    },
    'weekly.mon': { label: { en: 'Monday', 'zh-CN': '周一' } },
    'weekly.tue': { label: { en: 'Tuesday', 'zh-CN': '周二' } },
    'weekly.wed': { label: { en: 'Wednesday', 'zh-CN': '周三' } },
    'weekly.thu': { label: { en: 'Thursday', 'zh-CN': '周四' } },
    'weekly.fri': { label: { en: 'Friday', 'zh-CN': '周五' } },
    'weekly.sat': { label: { en: 'Saturday', 'zh-CN': '周六' } },
    'weekly.sun': { label: { en: 'Sunday', 'zh-CN': '周日' } },
    holidayCountry: {
      label: { en: 'Public holidays (country)', 'zh-CN': '法定节假日（国家）' },
      help: {
        en: "A country code, e.g. CN: that country's public holidays are closed.",
        'zh-CN': '国家代码，如 CN：该国法定节假日不营业。',
      },
    },
    closedDates: {
      label: { en: 'Closed dates', 'zh-CN': '额外休息日' },
      help: { en: 'Other dates that are closed, as YYYY-MM-DD.', 'zh-CN': '其他不营业的日期，格式 YYYY-MM-DD。' },
    },
    openDates: {
      label: { en: 'Extra open days', 'zh-CN': '额外营业日' },
      help: {
        en: 'Dates open with their own hours whatever the week and the holidays say (make-up working days).',
        'zh-CN': '按自身时段营业的日期，优先于每周时间和节假日（如调休上班日）。',
      },
    },
    'openDates.*.date': { label: { en: 'Date', 'zh-CN': '日期' } },
    'openDates.*.hours': { label: { en: 'Hours', 'zh-CN': '营业时段' } },
  },
  ports: ['open', 'closed'],
  requiredPorts: ['open', 'closed'],
  execute: async (ctx) => ({ next: isOpen(ctx.node.config, ctx.now()) ? 'open' : 'closed' }),
})

export const splitNode = defineNodeType({
  type: 'split',
  title: { en: 'Percentage split', 'zh-CN': '按比例分流' },
  description: {
    en: 'Sends runs down the branches by weight (A/B tests). The choice is stable for a run.',
    'zh-CN': '按权重分流（A/B 测试），同一运行结果稳定。',
  },
  category: 'logic',
  config: z.strictObject({
    branches: z
      .array(z.strictObject({ port: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), weight: z.number().min(0).max(100) }))
      .min(2)
      .max(20),
  }),
  fields: {
    branches: {
      label: { en: 'Branches', 'zh-CN': '分流分支' },
      help: {
        en: 'Each branch is an output port; runs go down them in proportion to their weights.',
        'zh-CN': '每个分支是一个输出端口；运行按权重比例分配到各分支。',
      },
    },
    'branches.*.port': {
      label: { en: 'Port', 'zh-CN': '端口名' },
      help: { en: 'e.g. a or b', 'zh-CN': '如 a 或 b' },
    },
    'branches.*.weight': {
      label: { en: 'Weight', 'zh-CN': '权重' },
      help: { en: 'A share from 0 to 100; 50 and 50 split evenly.', 'zh-CN': '0–100 的份额；50 和 50 即平均分配。' },
    },
  },
  ports: (config) => (config.branches ?? []).map((b) => b.port),
  async execute(ctx) {
    const total = ctx.node.config.branches.reduce((s, b) => s + b.weight, 0)
    const roll =
      (createHash('sha256').update(`${ctx.runId}:${ctx.node.id}`).digest().readUInt32BE(0) / 0x1_0000_0000) * total
    let acc = 0
    for (const b of ctx.node.config.branches) if (roll < (acc += b.weight)) return { next: b.port }
    return { next: ctx.node.config.branches.at(-1)!.port }
  },
})

export const waitNode = defineNodeType({
  type: 'wait',
  title: { en: 'Wait', 'zh-CN': '等待' },
  description: {
    en: 'Pauses the run for a duration (e.g. 72h) or until a time given by an expression. Survives restarts.',
    'zh-CN': '暂停一段时间（如 72h）或直到表达式给出的时间；重启不丢失。',
  },
  category: 'logic',
  config: z
    .strictObject({
      duration: duration.optional(),
      until: z.string().max(2000).optional(),
    })
    .refine((c) => c.duration !== undefined || c.until !== undefined, 'give duration or until'),
  fields: {
    duration: {
      label: { en: 'Wait for', 'zh-CN': '等待时长' },
      help: { en: 'e.g. 30m or 72h. Give this or “Wait until”.', 'zh-CN': '如 30m、72h。与“等待至”二选一。' },
    },
    until: {
      label: { en: 'Wait until', 'zh-CN': '等待至' },
      help: {
        en: 'A JSONata expression giving an ISO time, e.g. vars.deliveryDate',
        'zh-CN': '给出 ISO 时间的 JSONata 表达式，如 vars.deliveryDate',
      },
    },
  },
  ports: ['next'],
  expressionFields: [{ path: 'until', kind: 'expression' }],
  async execute(ctx) {
    const { duration: d, until } = ctx.node.config
    const at = until ? new Date(String(await ctx.evaluate(until))) : new Date(ctx.now().getTime() + parseDuration(d!)!)
    if (Number.isNaN(at.getTime())) throw new Error(`until did not give a time: ${until}`)
    return { wait: { for: 'timer', until: at.toISOString() } }
  },
  resume: async () => ({ next: 'next' }),
})
