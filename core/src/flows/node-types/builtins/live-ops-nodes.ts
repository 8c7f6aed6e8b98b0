import { z } from 'zod'
import { defineNodeType } from '../define-node-type.js'

/** checked against the users when the node runs (an unknown email fails the run before any change) */
const email = z.string().trim().min(3).max(254)

/**
 * Live operations from flows, e.g. a flow started by the `alert.raised` event of a threshold alert
 * switching on a queue's overflow pool, and the `alert.cleared` one switching it off again.
 */
export const updateQueueNode = defineNodeType({
  type: 'update-queue',
  title: { en: 'Update queue routing', 'zh-CN': '调整队列路由' },
  description: {
    en: "Changes a queue's routing settings by name: when standby members may take its conversations (overflow), its priority, and who is on standby. Audited as the flow; the router plans again at once.",
    'zh-CN':
      '按名称修改队列的路由设置：后备成员何时可以接待（溢出）、队列优先级以及后备成员名单。以流程身份记入审计日志，路由立即重新分配。',
  },
  category: 'routing',
  config: z
    .strictObject({
      queue: z.string().min(1).max(200),
      overflowAfterSeconds: z
        .union([z.number().int().min(0).max(86_400), z.literal('off')])
        .optional()
        .describe(
          'after this many seconds of waiting, standby members may take a conversation: 0 at once, "off" never; empty: unchanged',
        ),
      priority: z.number().int().min(-1000).max(1000).optional(),
      addStandby: z.array(email).max(100).optional(),
      removeStandby: z.array(email).max(100).optional(),
    })
    .refine(
      (c) =>
        c.overflowAfterSeconds !== undefined ||
        c.priority !== undefined ||
        !!c.addStandby?.length ||
        !!c.removeStandby?.length,
      'change at least one of overflowAfterSeconds, priority, addStandby, removeStandby',
    ),
  fields: {
    queue: {
      label: { en: 'Queue', 'zh-CN': '队列' },
      help: {
        en: 'The queue’s name, e.g. After-sales; {{ }} inserts a variable, e.g. {{ vars.event.queueName }}.',
        'zh-CN': '队列名称，如 售后；可用 {{ }} 插入变量，如 {{ vars.event.queueName }}（触发流程的告警所属队列）。',
      },
    },
    overflowAfterSeconds: {
      label: { en: 'Overflow after (seconds)', 'zh-CN': '溢出等待（秒）' },
      help: {
        'zh-CN': '会话等待多少秒后后备成员可以接待：0 为立即，off 为关闭溢出；留空则不变',
      },
    },
    priority: {
      label: { en: 'Queue priority', 'zh-CN': '队列优先级' },
      help: {
        en: 'From -1000 to 1000, added to the priority of every conversation in the queue. Empty: unchanged.',
        'zh-CN': '-1000 至 1000，加到队列中每个会话的优先级上。留空则不变。',
      },
    },
    addStandby: {
      label: { en: 'Add standby agents', 'zh-CN': '加入后备坐席' },
      help: {
        en: 'Emails of agents who join the queue as standby members (members already in it stay as they are).',
        'zh-CN': '以后备成员身份加入队列的坐席邮箱（已是队列成员的保持不变）。',
      },
    },
    removeStandby: {
      label: { en: 'Remove standby agents', 'zh-CN': '移除后备坐席' },
      help: {
        en: 'Emails of standby members who leave the queue (regular members are not removed).',
        'zh-CN': '离开队列的后备成员邮箱（正式成员不会被移除）。',
      },
    },
  },
  ports: ['next'],
  expressionFields: [{ path: 'queue', kind: 'template' }],
  async execute(ctx) {
    const { overflowAfterSeconds, priority, addStandby, removeStandby } = ctx.node.config
    const queue = (await ctx.render(ctx.node.config.queue)).trim()
    if (!queue) throw new Error(`update-queue: the queue "${ctx.node.config.queue}" gave no name`)
    const change = {
      ...(overflowAfterSeconds !== undefined
        ? { overflowAfterSeconds: overflowAfterSeconds === 'off' ? null : overflowAfterSeconds }
        : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(addStandby?.length ? { addStandby: [...addStandby] } : {}),
      ...(removeStandby?.length ? { removeStandby: [...removeStandby] } : {}),
    }
    await ctx.effects.updateQueue({ queue, ...change })
    ctx.emit({ kind: 'queue.updated', queue, ...change })
    return { next: 'next', output: { queue, ...change } }
  },
})
