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
      until: z.string().max(2000).optional().describe('JSONata giving an ISO time'),
    })
    .refine((c) => c.duration !== undefined || c.until !== undefined, 'give duration or until'),
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
