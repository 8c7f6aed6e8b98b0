import { z } from 'zod'
import { parseDuration } from '../../../config/index.js'
import { normalizeEmail, normalizePhone } from '../../../pii/index.js'
import { defineNodeType, duration, localizedText } from '../define-node-type.js'
import { say } from '../localize.js'
import type { ExecutionContext, NodeResult, ResumeEvent } from '../../runtime/execution-context.js'

const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/, 'a variable name such as orderNumber')

export const sendMessageNode = defineNodeType({
  type: 'send-message',
  title: { en: 'Send message', 'zh-CN': '发送消息' },
  description: {
    en: 'Sends a text (with {{ }} placeholders), quick replies or a media file. On a call the text is spoken.',
    'zh-CN': '发送文本（支持 {{ }} 占位符）、快捷回复或媒体；通话中朗读文本。',
  },
  category: 'messaging',
  config: z.strictObject({
    text: localizedText,
    quickReplies: z.array(z.string().max(100)).max(10).default([]),
    media: z.strictObject({ url: z.string().url(), type: z.enum(['image', 'video', 'audio', 'file']) }).optional(),
  }),
  ports: ['next'],
  expressionFields: [{ path: 'text', kind: 'template' }],
  async execute(ctx) {
    const text = await say(ctx, ctx.node.config.text)
    if (ctx.channel === 'voice') ctx.emit({ kind: 'voice.play', text })
    ctx.emit({
      kind: 'message',
      text,
      ...(ctx.node.config.quickReplies.length ? { quickReplies: ctx.node.config.quickReplies } : {}),
      ...(ctx.node.config.media ? { media: ctx.node.config.media } : {}),
    })
    return { next: 'next' }
  },
})

const validators = ['any', 'number', 'phone', 'email', 'regex', 'expression'] as const
const askConfig = z.strictObject({
  prompt: localizedText,
  variable: varName,
  validate: z.enum(validators).default('any'),
  /** for validate=regex: the pattern; for validate=expression: JSONata over { value } that must be true */
  rule: z.string().max(500).optional(),
  retryPrompt: localizedText.optional(),
  retries: z.number().int().min(0).max(10).default(2),
  timeout: duration.optional(),
})
type AskState = { attempts: number }

async function checkAnswer(
  ctx: ExecutionContext<z.output<typeof askConfig>>,
  value: string,
): Promise<unknown | undefined> {
  const { validate, rule } = ctx.node.config
  switch (validate) {
    case 'any':
      return value.trim() ? value.trim() : undefined
    case 'number': {
      const n = Number(value.replace(/[,\s]/g, ''))
      return Number.isFinite(n) && value.trim() !== '' ? n : undefined
    }
    case 'phone':
      try {
        return normalizePhone(value, 'CN')
      } catch {
        return undefined
      }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? normalizeEmail(value) : undefined
    case 'regex':
      return rule && new RegExp(rule).test(value) ? value.trim() : undefined
    case 'expression':
      return rule && (await ctx.evaluate(`( $value := ${JSON.stringify(value)}; ${rule} )`)) === true
        ? value.trim()
        : undefined
  }
}

const waitForAnswer = (timeout: string | number | undefined, attempts: number): NodeResult => ({
  wait: { for: 'input', timeoutMs: timeout === undefined ? undefined : parseDuration(timeout) },
  state: { attempts } satisfies AskState,
})

export const askNode = defineNodeType({
  type: 'ask',
  title: { en: 'Ask', 'zh-CN': '提问' },
  description: {
    en: 'Asks a question and waits for the answer; checks it (number, phone, email, pattern, expression), asks again up to `retries` times, and gives up at the timeout.',
    'zh-CN': '提问并等待回答；校验（数字、电话、邮箱、正则、表达式），最多重试 retries 次，超时则走 timeout。',
  },
  category: 'messaging',
  config: askConfig,
  ports: ['next', 'invalid', 'timeout'],
  requiredPorts: ['next'],
  expressionFields: [
    { path: 'prompt', kind: 'template' },
    { path: 'retryPrompt', kind: 'template' },
  ],
  async execute(ctx) {
    const text = await say(ctx, ctx.node.config.prompt)
    if (ctx.channel === 'voice') ctx.emit({ kind: 'voice.play', text })
    ctx.emit({ kind: 'message', text })
    return waitForAnswer(ctx.node.config.timeout, 0)
  },
  async resume(ctx, event: ResumeEvent) {
    if (event.kind === 'timeout') return { next: 'timeout' }
    if (event.kind !== 'input') return waitForAnswer(ctx.node.config.timeout, (ctx.state as AskState).attempts)
    const value = await checkAnswer(ctx, event.text ?? event.digits ?? '')
    if (value !== undefined) {
      ctx.vars[ctx.node.config.variable] = value
      return { next: 'next', output: { [ctx.node.config.variable]: value } }
    }
    const attempts = (ctx.state as AskState).attempts + 1
    if (attempts > ctx.node.config.retries) return { next: 'invalid' }
    const retry = await say(ctx, ctx.node.config.retryPrompt ?? ctx.node.config.prompt)
    if (ctx.channel === 'voice') ctx.emit({ kind: 'voice.play', text: retry })
    ctx.emit({ kind: 'message', text: retry })
    return waitForAnswer(ctx.node.config.timeout, attempts)
  },
})

const menuConfig = z.strictObject({
  prompt: localizedText,
  choices: z
    .array(
      z.strictObject({
        /** the port name and the DTMF key, e.g. "1" */
        key: z.string().regex(/^[0-9A-Za-z*#_-]{1,32}$/),
        label: localizedText,
        /** other words that pick this choice in a chat, e.g. ["refund", "退款"] */
        synonyms: z.array(z.string().max(100)).max(20).default([]),
      }),
    )
    .min(1)
    .max(12),
  retries: z.number().int().min(0).max(5).default(1),
  timeout: duration.optional(),
  variable: varName.optional(),
})

function pickChoice(config: z.output<typeof menuConfig>, answer: string) {
  const a = answer.trim().toLowerCase()
  if (!a) return undefined
  return config.choices.find((c) => {
    const labels = typeof c.label === 'string' ? [c.label] : [c.label.en, c.label['zh-CN']]
    return (
      c.key.toLowerCase() === a ||
      [...labels, ...c.synonyms].some(
        (l) =>
          l && (l.toLowerCase() === a || (a.length >= 2 && l.toLowerCase().includes(a)) || a.includes(l.toLowerCase())),
      )
    )
  })
}

/** Says the menu prompt (spoken on a call, with the choices as quick replies in a chat) and waits. */
async function offerChoices(ctx: ExecutionContext<z.output<typeof menuConfig>>, attempts: number): Promise<NodeResult> {
  const text = await say(ctx, ctx.node.config.prompt)
  if (ctx.channel === 'voice') {
    ctx.emit({ kind: 'voice.play', text })
    ctx.emit({ kind: 'message', text })
  } else {
    const replies = await Promise.all(ctx.node.config.choices.map(async (c) => say(ctx, c.label)))
    ctx.emit({ kind: 'message', text, quickReplies: replies })
  }
  const timeoutMs = ctx.node.config.timeout === undefined ? undefined : parseDuration(ctx.node.config.timeout)
  return { wait: { for: 'input', timeoutMs }, state: { attempts } satisfies AskState }
}

export const menuNode = defineNodeType({
  type: 'menu',
  title: { en: 'Menu', 'zh-CN': '菜单' },
  description: {
    en: 'Offers choices; each choice is an output port. On a call the caller presses the key, in a chat they type the key, the label or a synonym.',
    'zh-CN': '提供选项，每个选项是一个输出端口。通话中按键，聊天中输入编号、选项名称或同义词。',
  },
  category: 'messaging',
  config: menuConfig,
  ports: (config) => [...(config.choices ?? []).map((c) => c.key), 'no-match', 'timeout'],
  requiredPorts: (config) => (config.choices ?? []).map((c) => c.key),
  expressionFields: [
    { path: 'prompt', kind: 'template' },
    { path: 'choices.*.label', kind: 'template' },
  ],
  execute: (ctx) => offerChoices(ctx, 0),
  async resume(ctx, event) {
    if (event.kind === 'timeout') return { next: 'timeout' }
    const attempts = (ctx.state as AskState | undefined)?.attempts ?? 0
    const choice = event.kind === 'input' ? pickChoice(ctx.node.config, event.digits ?? event.text ?? '') : undefined
    if (choice) {
      if (ctx.node.config.variable) ctx.vars[ctx.node.config.variable] = choice.key
      return { next: choice.key }
    }
    if (attempts >= ctx.node.config.retries) return { next: 'no-match' }
    // asks again the way it asked first: spoken on a call, with the quick replies in a chat
    return offerChoices(ctx, attempts + 1)
  },
})
