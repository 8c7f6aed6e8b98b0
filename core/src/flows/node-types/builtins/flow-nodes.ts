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
  fields: {
    outcome: {
      label: { en: 'Ends as', 'zh-CN': '结束状态' },
      help: {
        en: 'Completed is a normal end; failed records the run as failed, with the reason.',
        'zh-CN': '“已完成”为正常结束；“失败”把本次运行记为失败，并记下原因。',
      },
      options: { completed: { en: 'Completed', 'zh-CN': '已完成' }, failed: { en: 'Failed', 'zh-CN': '失败' } },
    },
    reason: {
      label: { en: 'Reason', 'zh-CN': '原因' },
      help: { en: 'Why the run failed; kept with the run.', 'zh-CN': '失败的原因，随运行记录保存。' },
    },
  },
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
  config: z.strictObject({ flow: z.string().min(1).max(200) }),
  fields: {
    flow: {
      label: { en: 'Flow', 'zh-CN': '子流程' },
      help: {
        en: 'The name of the flow to run; its published version runs.',
        'zh-CN': '要运行的流程名称；运行它的已发布版本。',
      },
    },
  },
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
  fields: {
    text: {
      label: { en: 'Note', 'zh-CN': '注释内容' },
      help: {
        en: 'Shown on the canvas for the people who edit the flow.',
        'zh-CN': '显示在画布上，给编辑流程的人看。',
      },
    },
    color: {
      label: { en: 'Colour', 'zh-CN': '颜色' },
      options: {
        yellow: { en: 'Yellow', 'zh-CN': '黄色' },
        blue: { en: 'Blue', 'zh-CN': '蓝色' },
        green: { en: 'Green', 'zh-CN': '绿色' },
        pink: { en: 'Pink', 'zh-CN': '粉色' },
        grey: { en: 'Grey', 'zh-CN': '灰色' },
      },
    },
  },
  ports: [],
  execute: async () => ({ end: 'completed' }),
})
