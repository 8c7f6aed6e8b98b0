import { z } from 'zod'
import { defineNodeType } from '../define-node-type.js'

export const startNode = defineNodeType({
  type: 'start',
  title: { en: 'Start', 'zh-CN': '开始' },
  description: { en: 'Where every run of the flow begins. One per flow.', 'zh-CN': '流程的入口，每个流程一个。' },
  category: 'flow',
  config: z.strictObject({}),
  ports: ['next'],
  requiredPorts: ['next'],
  execute: async () => ({ next: 'next' }),
})

export const endNode = defineNodeType({
  type: 'end',
  title: { en: 'End', 'zh-CN': '结束' },
  description: { en: 'Ends the run (or returns to the calling flow).', 'zh-CN': '结束本次运行（或返回上级流程）。' },
  category: 'flow',
  config: z.strictObject({
    outcome: z.enum(['completed', 'failed']).default('completed'),
    reason: z.string().max(500).optional(),
  }),
  ports: [],
  execute: async ({ node }) => ({ end: node.config.outcome, error: node.config.reason }),
})

export const subflowNode = defineNodeType({
  type: 'subflow',
  title: { en: 'Go to subflow', 'zh-CN': '进入子流程' },
  description: {
    en: "Runs another flow's published version with the same variables, then continues here at `next`.",
    'zh-CN': '以相同变量运行另一个已发布流程，结束后从 next 继续。',
  },
  category: 'flow',
  config: z.strictObject({ flow: z.string().min(1).max(200).describe('name of the flow to run') }),
  ports: ['next'],
  execute: async ({ node }) => ({ call: { flow: node.config.flow }, returnPort: 'next' }),
})

/**
 * A comment on the canvas. It has no ports, so no edge reaches it and the engine never runs it;
 * the validator does not report it as unreachable.
 */
export const noteNode = defineNodeType({
  type: 'note',
  title: { en: 'Note', 'zh-CN': '注释' },
  description: {
    en: 'A comment for the people who edit the flow. Never runs.',
    'zh-CN': '写给编辑流程的人看的注释，不会被执行。',
  },
  category: 'flow',
  config: z.strictObject({
    text: z.string().max(4000).default(''),
    color: z.enum(['yellow', 'blue', 'green', 'pink', 'grey']).default('yellow'),
  }),
  ports: [],
  execute: async () => ({ end: 'completed' }),
})
