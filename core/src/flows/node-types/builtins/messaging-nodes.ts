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
  fields: {
    text: {
      label: { en: 'Message', 'zh-CN': '消息内容' },
      help: {
        en: 'What the customer gets. {{ }} inserts a variable, e.g. {{ vars.orderNumber }}. On a call it is spoken.',
        'zh-CN': '发给客户的内容。用 {{ }} 插入变量，如 {{ vars.orderNumber }}；通话中会被朗读。',
      },
    },
    quickReplies: {
      label: { en: 'Quick replies', 'zh-CN': '快捷回复' },
      help: {
        en: 'Buttons under the message (up to 10); what the customer taps comes back as their answer.',
        'zh-CN': '消息下方的按钮（最多 10 个）；客户点选的内容作为回答发回。',
      },
    },
    media: {
      label: { en: 'Attachment', 'zh-CN': '附件' },
      help: {
        en: 'An image, video, audio or file sent with the message.',
        'zh-CN': '随消息发送的图片、视频、音频或文件。',
      },
    },
    'media.url': {
      label: { en: 'File address', 'zh-CN': '文件地址' },
      help: {
        en: 'Where the file is, e.g. https://shop.example.com/size-chart.png',
        'zh-CN': '文件的网址，如 https://shop.example.com/size-chart.png',
      },
    },
    'media.type': {
      label: { en: 'Kind', 'zh-CN': '类型' },
      options: {
        image: { en: 'Image', 'zh-CN': '图片' },
        video: { en: 'Video', 'zh-CN': '视频' },
        audio: { en: 'Audio', 'zh-CN': '音频' },
        file: { en: 'File', 'zh-CN': '文件' },
      },
    },
  },
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
  fields: {
    prompt: {
      label: { en: 'Question', 'zh-CN': '问题' },
      help: { en: 'What the bot asks. {{ }} inserts a variable.', 'zh-CN': '机器人提出的问题。用 {{ }} 插入变量。' },
    },
    variable: {
      label: { en: 'Save the answer as', 'zh-CN': '答案存入变量' },
      help: {
        en: 'The variable that gets the checked answer: orderNumber is then vars.orderNumber.',
        'zh-CN': '保存校验后答案的变量：填 orderNumber，之后用 vars.orderNumber 读取。',
      },
    },
    validate: {
      label: { en: 'Accept', 'zh-CN': '接受的回答' },
      help: {
        en: 'An answer that does not pass is asked again (see Retry question).',
        'zh-CN': '不符合的回答会被要求重新输入（见“重试提问”）。',
      },
      options: {
        any: { en: 'Any answer', 'zh-CN': '任意回答' },
        number: { en: 'A number', 'zh-CN': '数字' },
        phone: { en: 'A phone number', 'zh-CN': '电话号码' },
        email: { en: 'An email address', 'zh-CN': '邮箱地址' },
        regex: { en: 'Text matching a pattern', 'zh-CN': '符合正则表达式的文本' },
        expression: { en: 'An answer for which an expression is true', 'zh-CN': '使表达式成立的回答' },
      },
    },
    rule: {
      label: { en: 'Pattern or expression', 'zh-CN': '正则或表达式' },
      help: {
        en: 'For a pattern: a regular expression, e.g. ^\\d{13}$. For an expression: JSONata over $value that must be true, e.g. $length($value) = 13.',
        'zh-CN': '正则：如 ^\\d{13}$。表达式：以 $value 表示回答的 JSONata，须为真，如 $length($value) = 13。',
      },
    },
    retryPrompt: {
      label: { en: 'Retry question', 'zh-CN': '重试提问' },
      help: {
        en: 'Asked after an answer that does not pass; empty: the question again.',
        'zh-CN': '回答未通过校验时发送；留空则重复原问题。',
      },
    },
    retries: {
      label: { en: 'Retries', 'zh-CN': '重试次数' },
      help: {
        en: 'How many more times to ask before leaving by `invalid`.',
        'zh-CN': '走 invalid 之前最多再问几次。',
      },
    },
    timeout: {
      label: { en: 'Give up after', 'zh-CN': '超时时间' },
      help: {
        en: 'How long to wait for an answer, e.g. 30s, 5m or 24h; then it leaves by `timeout`. Empty: no limit.',
        'zh-CN': '等待回答的时长，如 30s、5m、24h，超时后走 timeout；留空则不限时。',
      },
    },
  },
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
  fields: {
    prompt: {
      label: { en: 'Question', 'zh-CN': '提示语' },
      help: {
        en: 'Said before the choices; in a chat the choices are offered as quick replies.',
        'zh-CN': '在选项之前说的话；聊天中选项以快捷回复的形式给出。',
      },
    },
    choices: {
      label: { en: 'Choices', 'zh-CN': '选项' },
      help: {
        en: 'Each choice is an output port named after its key.',
        'zh-CN': '每个选项是一个以其按键命名的输出端口。',
      },
    },
    'choices.*.key': {
      label: { en: 'Key', 'zh-CN': '按键' },
      help: { en: 'The port name and the phone key, e.g. 1.', 'zh-CN': '端口名，也是电话按键，如 1。' },
    },
    'choices.*.label': {
      label: { en: 'Label', 'zh-CN': '选项名称' },
      help: { en: 'What the customer sees or hears.', 'zh-CN': '客户看到或听到的内容。' },
    },
    'choices.*.synonyms': {
      label: { en: 'Other words', 'zh-CN': '同义词' },
      help: {
        en: 'Other words that pick this choice in a chat, e.g. refund, 退款.',
        'zh-CN': '聊天中同样选中此项的词，如 退款、refund。',
      },
    },
    retries: {
      label: { en: 'Retries', 'zh-CN': '重试次数' },
      help: {
        en: 'How many more times to offer the menu before leaving by `no-match`.',
        'zh-CN': '走 no-match 之前最多再提供几次菜单。',
      },
    },
    timeout: {
      label: { en: 'Give up after', 'zh-CN': '超时时间' },
      help: {
        en: 'How long to wait for an answer, e.g. 30s, 5m or 24h; then it leaves by `timeout`. Empty: no limit.',
        'zh-CN': '等待回答的时长，如 30s、5m、24h，超时后走 timeout；留空则不限时。',
      },
    },
    variable: {
      label: { en: 'Save the choice as', 'zh-CN': '选择存入变量' },
      help: { en: 'Optional: a variable that gets the chosen key.', 'zh-CN': '可选：保存所选按键的变量。' },
    },
  },
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
