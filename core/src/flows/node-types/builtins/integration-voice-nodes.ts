import { z } from 'zod'
import { parseDuration } from '../../../config/index.js'
import { defineNodeType, duration, localizedText } from '../define-node-type.js'
import { say } from '../localize.js'

const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/)

export const httpRequestNode = defineNodeType({
  type: 'http-request',
  title: { en: 'HTTP request', 'zh-CN': 'HTTP 请求' },
  description: {
    en: 'Calls an HTTP API on a host the admin allowed (SWITCHBOARD_FLOW_HTTP_HOSTS); stores { status, body }. Goes to `error` on a network error or a status ≥ 400.',
    'zh-CN': '调用管理员允许的主机上的 HTTP 接口，保存 { status, body }；网络错误或状态码 ≥ 400 走 error。',
  },
  category: 'integration',
  config: z.strictObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().min(1).max(2000),
    headers: z.record(z.string(), z.string().max(2000)).default({}),
    body: z.string().max(20_000).optional(),
    timeout: duration.default('10s'),
    variable: varName.default('response'),
  }),
  fields: {
    method: {
      label: { en: 'Method', 'zh-CN': '请求方法' },
      options: {
        GET: { en: 'GET', 'zh-CN': 'GET' },
        POST: { en: 'POST', 'zh-CN': 'POST' },
        PUT: { en: 'PUT', 'zh-CN': 'PUT' },
        PATCH: { en: 'PATCH', 'zh-CN': 'PATCH' },
        DELETE: { en: 'DELETE', 'zh-CN': 'DELETE' },
      },
    },
    url: {
      label: { en: 'URL', 'zh-CN': '请求地址' },
      help: {
        en: 'On a host the admin allowed; {{ }} inserts a variable, e.g. https://api.example.com/orders/{{ vars.orderNumber }}',
        'zh-CN': '须为管理员允许的主机；用 {{ }} 插入变量，如 https://api.example.com/orders/{{ vars.orderNumber }}',
      },
    },
    headers: {
      label: { en: 'Headers', 'zh-CN': '请求头' },
      help: { en: 'Name → value; {{ }} inserts a variable.', 'zh-CN': '名称 → 值；用 {{ }} 插入变量。' },
    },
    body: {
      label: { en: 'JSON body', 'zh-CN': 'JSON 请求体' },
      help: {
        en: 'A JSONata expression giving the body, e.g. { "order": vars.orderNumber }',
        'zh-CN': '给出请求体的 JSONata 表达式，如 { "order": vars.orderNumber }',
      },
    },
    timeout: {
      label: { en: 'Timeout', 'zh-CN': '超时时间' },
      help: { en: 'e.g. 10s; a request that takes longer goes to `error`.', 'zh-CN': '如 10s；超时的请求走 error。' },
    },
    variable: {
      label: { en: 'Save the response as', 'zh-CN': '响应存入变量' },
      help: {
        en: 'Gets { status, body }: vars.response.body is the parsed JSON.',
        'zh-CN': '保存 { status, body }：vars.response.body 为解析后的 JSON。',
      },
    },
  },
  ports: ['ok', 'error'],
  requiredPorts: ['ok'],
  expressionFields: [
    { path: 'url', kind: 'template' },
    { path: 'headers.*', kind: 'template' },
    { path: 'body', kind: 'expression' },
  ],
  async execute(ctx) {
    const c = ctx.node.config
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(c.headers)) headers[k] = await ctx.render(v)
    try {
      const response = await ctx.effects.httpRequest({
        method: c.method,
        url: await ctx.render(c.url),
        headers,
        body: c.body ? await ctx.evaluate(c.body) : undefined,
        timeoutMs: parseDuration(c.timeout) ?? 10_000,
      })
      ctx.vars[c.variable] = response
      return { next: response.status < 400 ? 'ok' : 'error', output: { status: response.status } }
    } catch (error) {
      ctx.vars[c.variable] = { status: 0, error: (error as Error).message }
      return { next: 'error', output: { error: (error as Error).message } }
    }
  },
})

export const pluginActionNode = defineNodeType({
  type: 'plugin-action',
  title: { en: 'Call a plugin action', 'zh-CN': '调用插件动作' },
  description: {
    en: 'Calls an action a plugin provides (e.g. erp.getOrder) with an input built from expressions; stores the result. On failure it goes to `error` with { code, message } in `<variable>Error`.',
    'zh-CN': '调用插件提供的动作（如 erp.getOrder），保存结果。',
  },
  category: 'integration',
  config: z.strictObject({
    action: z.string().regex(/^[a-z][a-z0-9-]*\.[A-Za-z][A-Za-z0-9]*$/, 'plugin.action, e.g. erp.getOrder'),
    input: z.record(z.string(), z.string().max(2000)).default({}),
    variable: varName.default('result'),
  }),
  fields: {
    action: {
      label: { en: 'Action', 'zh-CN': '插件动作' },
      help: {
        en: 'plugin.action, e.g. erp.getOrder (the plugin’s page lists its actions).',
        'zh-CN': '格式为 插件.动作，如 erp.getOrder（插件页面列出其动作）。',
      },
    },
    input: {
      label: { en: 'Input', 'zh-CN': '输入参数' },
      help: {
        en: 'Field → a JSONata expression giving its value, e.g. orderNumber → vars.orderNumber',
        'zh-CN': '字段 → 给出取值的 JSONata 表达式，如 orderNumber → vars.orderNumber',
      },
    },
    variable: {
      label: { en: 'Save the result as', 'zh-CN': '结果存入变量' },
      help: {
        en: 'e.g. order: the result is vars.order, a failure { code, message } is vars.orderError.',
        'zh-CN': '如 order：结果为 vars.order，失败信息 { code, message } 为 vars.orderError。',
      },
    },
  },
  ports: ['ok', 'error'],
  requiredPorts: ['ok'],
  expressionFields: [{ path: 'input.*', kind: 'expression' }],
  async execute(ctx) {
    const input: Record<string, unknown> = {}
    for (const [field, expression] of Object.entries(ctx.node.config.input)) {
      // a field whose expression finds nothing (an optional phone) is left out, not sent as null
      const value = await ctx.evaluate(expression)
      if (value !== undefined) input[field] = value
    }
    try {
      ctx.vars[ctx.node.config.variable] = await ctx.effects.callPluginAction(ctx.node.config.action, input)
      return { next: 'ok' }
    } catch (error) {
      // the code lets a flow branch on what went wrong (SB_ERR_ERP_AUTH_FAILED, SB_ERR_PLUGIN_TIMEOUT…)
      ctx.vars[`${ctx.node.config.variable}Error`] = {
        code: (error as { code?: string }).code ?? null,
        message: (error as Error).message,
      }
      return { next: 'error', output: { error: (error as Error).message } }
    }
  },
})

export const playNode = defineNodeType({
  type: 'play',
  title: { en: 'Play / say', 'zh-CN': '播放/朗读' },
  description: {
    en: 'Plays an audio file or speaks a text on a call (in a chat, the text is sent).',
    'zh-CN': '通话中播放音频或朗读文本（聊天中发送文本）。',
  },
  category: 'voice',
  config: z
    .strictObject({ text: localizedText.optional(), file: z.string().max(500).optional() })
    .refine((c) => c.text !== undefined || c.file !== undefined, 'give text or file'),
  fields: {
    text: {
      label: { en: 'Text to speak', 'zh-CN': '朗读文本' },
      help: {
        en: 'Spoken on a call, sent in a chat. Give this or an audio file.',
        'zh-CN': '通话中朗读，聊天中发送。与音频文件二选一。',
      },
    },
    file: {
      label: { en: 'Audio file', 'zh-CN': '音频文件' },
      help: { en: 'The address or name of a recording, e.g. welcome.wav', 'zh-CN': '录音的地址或名称，如 welcome.wav' },
    },
  },
  ports: ['next'],
  expressionFields: [{ path: 'text', kind: 'template' }],
  async execute(ctx) {
    const text = ctx.node.config.text === undefined ? undefined : await say(ctx, ctx.node.config.text)
    ctx.emit({ kind: 'voice.play', text, file: ctx.node.config.file })
    if (text && ctx.channel === 'text') ctx.emit({ kind: 'message', text })
    return { next: 'next' }
  },
})

export const gatherNode = defineNodeType({
  type: 'gather',
  title: { en: 'Gather digits', 'zh-CN': '收集按键' },
  description: {
    en: 'Collects DTMF digits (up to maxDigits, or until #) into a variable; `timeout` when none come.',
    'zh-CN': '收集按键（最多 maxDigits 位或按 # 结束）存入变量，无输入走 timeout。',
  },
  category: 'voice',
  channels: ['voice'],
  config: z.strictObject({
    prompt: localizedText.optional(),
    maxDigits: z.number().int().min(1).max(32).default(1),
    timeout: duration.default('8s'),
    variable: varName.default('digits'),
  }),
  fields: {
    prompt: {
      label: { en: 'Prompt', 'zh-CN': '提示语' },
      help: {
        en: 'Said before listening, e.g. Please enter your order number, then #.',
        'zh-CN': '收集前朗读，如“请输入订单号，以 # 结束”。',
      },
    },
    maxDigits: {
      label: { en: 'Most digits', 'zh-CN': '最多位数' },
      help: { en: 'Stops after this many keys, or at #.', 'zh-CN': '按满这么多位或按 # 即结束。' },
    },
    timeout: {
      label: { en: 'Give up after', 'zh-CN': '超时时间' },
      help: { en: 'e.g. 8s; without a key it leaves by `timeout`.', 'zh-CN': '如 8s；无按键则走 timeout。' },
    },
    variable: {
      label: { en: 'Save the digits as', 'zh-CN': '按键存入变量' },
    },
  },
  ports: ['next', 'timeout'],
  requiredPorts: ['next'],
  expressionFields: [{ path: 'prompt', kind: 'template' }],
  async execute(ctx) {
    if (ctx.node.config.prompt) ctx.emit({ kind: 'voice.play', text: await say(ctx, ctx.node.config.prompt) })
    const timeoutMs = parseDuration(ctx.node.config.timeout)!
    ctx.emit({ kind: 'voice.gather', maxDigits: ctx.node.config.maxDigits, timeoutMs })
    return { wait: { for: 'input', timeoutMs } }
  },
  async resume(ctx, event) {
    if (event.kind !== 'input') return { next: 'timeout' }
    const digits = (event.digits ?? event.text ?? '').replace(/#.*$/, '').slice(0, ctx.node.config.maxDigits)
    if (!digits) return { next: 'timeout' }
    ctx.vars[ctx.node.config.variable] = digits
    return { next: 'next', output: { digits } }
  },
})

export const recordNode = defineNodeType({
  type: 'record',
  title: { en: 'Record voicemail', 'zh-CN': '录音留言' },
  description: {
    en: 'Records the caller (voicemail) until silence, # or maxSeconds; the recording reference is stored.',
    'zh-CN': '录制来电者留言，直到静音、# 或达到最长时间。',
  },
  category: 'voice',
  channels: ['voice'],
  config: z.strictObject({
    prompt: localizedText.optional(),
    maxSeconds: z.number().int().min(1).max(600).default(120),
    variable: varName.default('recording'),
  }),
  fields: {
    prompt: {
      label: { en: 'Prompt', 'zh-CN': '提示语' },
      help: {
        en: 'Said before recording, e.g. Please leave a message after the tone.',
        'zh-CN': '录音前朗读，如“请在提示音后留言”。',
      },
    },
    maxSeconds: {
      label: { en: 'Longest recording (seconds)', 'zh-CN': '最长录音（秒）' },
    },
    variable: {
      label: { en: 'Save the recording as', 'zh-CN': '录音存入变量' },
    },
  },
  ports: ['next'],
  expressionFields: [{ path: 'prompt', kind: 'template' }],
  async execute(ctx) {
    if (ctx.node.config.prompt) ctx.emit({ kind: 'voice.play', text: await say(ctx, ctx.node.config.prompt) })
    ctx.emit({ kind: 'voice.record', maxSeconds: ctx.node.config.maxSeconds })
    return { wait: { for: 'event', topic: 'voice.recording', timeoutMs: (ctx.node.config.maxSeconds + 10) * 1000 } }
  },
  async resume(ctx, event) {
    ctx.vars[ctx.node.config.variable] = event.kind === 'event' ? (event.data ?? null) : null
    return { next: 'next' }
  },
})

export const transferNode = defineNodeType({
  type: 'transfer',
  title: { en: 'Transfer call', 'zh-CN': '转接' },
  description: { en: 'Transfers the call to a number or SIP address.', 'zh-CN': '把通话转接到号码或 SIP 地址。' },
  category: 'voice',
  channels: ['voice'],
  config: z.strictObject({ to: z.string().min(1).max(200) }),
  fields: {
    to: {
      label: { en: 'Transfer to', 'zh-CN': '转接到' },
      help: {
        en: 'A phone number or SIP address; {{ }} inserts a variable, e.g. +862150001234',
        'zh-CN': '电话号码或 SIP 地址；用 {{ }} 插入变量，如 +862150001234',
      },
    },
  },
  ports: ['next'],
  expressionFields: [{ path: 'to', kind: 'template' }],
  async execute(ctx) {
    ctx.emit({ kind: 'voice.transfer', to: await ctx.render(ctx.node.config.to) })
    return { next: 'next' }
  },
})

export const hangupNode = defineNodeType({
  type: 'hangup',
  title: { en: 'Hang up', 'zh-CN': '挂断' },
  description: { en: 'Ends the call and the run.', 'zh-CN': '挂断电话并结束运行。' },
  category: 'voice',
  channels: ['voice'],
  config: z.strictObject({}),
  ports: [],
  async execute(ctx) {
    ctx.emit({ kind: 'voice.hangup' })
    return { end: 'completed' }
  },
})
