import type { Rendered } from './canned-dto.js'

/** What a variable is filled from: the conversation, its contact and the agent answering. */
export interface RenderContext {
  contact?: {
    name: string | null
    email: string | null
    phone: string | null
    language: string | null
    attributes: Record<string, unknown>
  } | null
  agent?: { name: string; email: string } | null
  conversation?: { id: string; channel: string } | null
}

type Localized = { en: string; 'zh-CN': string }
interface VariableSpec {
  name: string
  description: Localized
  example: Localized
  value(ctx: RenderContext): string | null | undefined
}

/** The variables a canned response may use; anything else in {{ }} is reported as unknown. */
export const CANNED_VARIABLES: VariableSpec[] = [
  {
    name: 'contact.name',
    description: { en: "The customer's name", 'zh-CN': '客户姓名' },
    example: { en: 'Ms. Li', 'zh-CN': '李女士' },
    value: (c) => c.contact?.name,
  },
  {
    name: 'contact.email',
    description: { en: "The customer's email", 'zh-CN': '客户邮箱' },
    example: { en: 'li@example.com', 'zh-CN': 'li@example.com' },
    value: (c) => c.contact?.email,
  },
  {
    name: 'contact.phone',
    description: { en: "The customer's phone number", 'zh-CN': '客户电话' },
    example: { en: '+86 138 0013 8000', 'zh-CN': '+86 138 0013 8000' },
    value: (c) => c.contact?.phone,
  },
  {
    name: 'agent.name',
    description: { en: 'Your name (the agent replying)', 'zh-CN': '你的姓名（回复的坐席）' },
    example: { en: 'Wang Fang', 'zh-CN': '王芳' },
    value: (c) => c.agent?.name,
  },
  {
    name: 'agent.email',
    description: { en: 'Your email', 'zh-CN': '你的邮箱' },
    example: { en: 'wang.fang@example.com', 'zh-CN': 'wang.fang@example.com' },
    value: (c) => c.agent?.email,
  },
  {
    name: 'conversation.id',
    description: { en: "The conversation's reference", 'zh-CN': '会话编号' },
    example: { en: '8f2c1a4e', 'zh-CN': '8f2c1a4e' },
    // the first block of the uuid is what people read out on the phone
    value: (c) => c.conversation?.id.split('-')[0],
  },
  {
    name: 'conversation.channel',
    description: { en: 'The channel (web chat, WeChat…)', 'zh-CN': '渠道（网页聊天、微信…）' },
    example: { en: 'webchat', 'zh-CN': 'webchat' },
    value: (c) => c.conversation?.channel,
  },
]

const ATTRIBUTE_PREFIX = 'contact.attributes.'
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

function lookup(name: string, ctx: RenderContext): { known: boolean; value: string | null } {
  if (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length) {
    const value = ctx.contact?.attributes[name.slice(ATTRIBUTE_PREFIX.length)]
    const text = value === undefined || value === null || typeof value === 'object' ? null : String(value)
    return { known: true, value: text === '' ? null : text }
  }
  const spec = CANNED_VARIABLES.find((v) => v.name === name)
  if (!spec) return { known: false, value: null }
  const value = spec.value(ctx)
  return { known: true, value: value ? value : null }
}

/**
 * Fills the variables of a canned response. A variable without a value here, or a name that is
 * no variable, stays in the text as written and is reported, so the agent sees the gap before
 * sending instead of a silently blank word.
 */
export function renderCanned(body: string, ctx: RenderContext): Rendered {
  const unknown = new Set<string>()
  const missing = new Set<string>()
  const text = body.replace(PLACEHOLDER, (whole, name: string) => {
    const found = lookup(name, ctx)
    if (!found.known) unknown.add(name)
    else if (found.value === null) missing.add(name)
    return found.value ?? whole
  })
  return { text, unknown: [...unknown], missing: [...missing] }
}

/** The examples, for previewing a response without a conversation. */
export function exampleContext(language: 'en' | 'zh-CN'): RenderContext {
  const ex = (name: string) => CANNED_VARIABLES.find((v) => v.name === name)!.example[language]
  return {
    contact: {
      name: ex('contact.name'),
      email: ex('contact.email'),
      phone: ex('contact.phone'),
      language,
      attributes: {},
    },
    agent: { name: ex('agent.name'), email: ex('agent.email') },
    conversation: { id: ex('conversation.id'), channel: ex('conversation.channel') },
  }
}
