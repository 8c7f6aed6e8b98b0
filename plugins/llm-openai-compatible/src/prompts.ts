import type { ChatMessage } from '@switchboard/plugin-sdk/runtime'
import type { Language } from './context.js'

type Transcript = ReadonlyArray<{ from: 'customer' | 'agent' | 'bot'; text: string }>

const speakers: Record<Language, Record<'customer' | 'agent' | 'bot', string>> = {
  en: { customer: 'Customer', agent: 'Agent', bot: 'Bot' },
  'zh-CN': { customer: '客户', agent: '客服', bot: '机器人' },
}

/** A conversation as plain lines ("Customer: …"), fenced so the model reads it as data. */
export function formatTranscript(transcript: Transcript, language: Language): string {
  const lines = transcript.map((t) => `${speakers[language][t.from]}: ${t.text}`)
  return `<conversation>\n${lines.join('\n')}\n</conversation>`
}

const system = (content: string): ChatMessage => ({ role: 'system', content })
const user = (content: string): ChatMessage => ({ role: 'user', content })

/** Asks for `{"intent", "confidence"}`, the intent restricted to the given names. */
export function classifyIntentPrompt(
  text: string,
  intents: ReadonlyArray<{ name: string; description?: string }>,
  language: Language,
): ChatMessage[] {
  const list = intents.map((i) => `- ${i.name}${i.description ? `: ${i.description}` : ''}`).join('\n')
  const instructions = {
    en: `You classify customer messages for a shop's customer-service team. Pick the one intent from the list below that the customer's message expresses. If none of them fits, the intent is null. The intent must be written exactly as in the list.
Reply with JSON only, in this form: {"intent": "<a name from the list, or null>", "confidence": <a number from 0 to 1>}

Intents:
${list}`,
    'zh-CN': `你为店铺的客服团队判断客户消息的意图。从下面的列表中选出客户消息表达的那一个意图；都不符合时意图为 null。意图名称必须与列表中的写法完全一致。
只回复 JSON，格式为：{"intent": "<列表中的名称，或 null>", "confidence": <0 到 1 之间的数>}

意图列表：
${list}`,
  }
  return [system(instructions[language]), user(text)]
}

/** Asks for an answer grounded in the passages, `{"answer": string | null, "citations": [...]}`. */
export function answerPrompt(
  question: string,
  passages: ReadonlyArray<{ id: string; text: string }>,
  language: Language,
): ChatMessage[] {
  const sources = passages.map((p) => `[${p.id}]\n${p.text}`).join('\n\n')
  const instructions = {
    en: `You answer customers' questions for a shop, using only the passages below.
- Use only what the passages say. Do not add other knowledge and do not guess.
- If the passages do not answer the question, the answer is null.
- In "citations", list the ids (the text in square brackets) of the passages you used.
- Answer in English, briefly and politely, as a customer-service agent would.
Reply with JSON only, in this form: {"answer": "<the answer, or null>", "citations": ["<passage id>"]}

Passages:
${sources}`,
    'zh-CN': `你为店铺回答客户的问题，只能依据下面的资料段落。
- 只使用段落中写明的内容，不要补充其他知识，也不要猜测。
- 如果段落不能回答这个问题，answer 为 null。
- 在 "citations" 中列出你用到的段落编号（方括号中的文字）。
- 用简体中文作答，像客服一样简洁、礼貌。
只回复 JSON，格式为：{"answer": "<答案，或 null>", "citations": ["<段落编号>"]}

资料段落：
${sources}`,
  }
  return [system(instructions[language]), user(question)]
}

/** Asks for the agent's next reply to a conversation, as plain text. */
export function draftReplyPrompt(transcript: Transcript, guidance: string | undefined, language: Language) {
  const instructions = {
    en: `You help a shop's customer-service agent. Write the agent's next reply to the customer in the conversation you are given.
- Be brief, friendly and concrete.
- Do not invent order details, prices, dates or policies that are not in the conversation or the agent's guidance; if something must be checked, say so.
- Write only the reply itself, in English, with no preface.${guidance ? `\n\nThe agent's guidance for this reply:\n${guidance}` : ''}`,
    'zh-CN': `你协助店铺客服。请为下面的会话写出客服接下来要发给客户的回复。
- 简洁、友好、具体。
- 不要编造会话或客服提示中没有的订单信息、价格、日期或政策；需要核实的内容就说明需要核实。
- 只写回复本身，用简体中文，不要加任何开场说明。${guidance ? `\n\n客服对这条回复的提示：\n${guidance}` : ''}`,
  }
  return [system(instructions[language]), user(formatTranscript(transcript, language))]
}

/** Asks for a handover summary of a conversation, as plain text. */
export function summarizePrompt(transcript: Transcript, language: Language): ChatMessage[] {
  const instructions = {
    en: `Summarize the customer-service conversation you are given for a colleague who takes it over: the customer's issue, what has been done, what is still open, and the next step. Use at most 5 short bullet points, in English. Do not add anything the conversation does not say.`,
    'zh-CN': `为接手的同事总结下面的客服会话：客户的问题、已经做了什么、还有什么没解决、下一步。最多 5 条简短要点，用简体中文。不要加入会话中没有的内容。`,
  }
  return [system(instructions[language]), user(formatTranscript(transcript, language))]
}

/** Asks for `{"label", "score"}` for one customer message. */
export function sentimentPrompt(text: string, language: Language): ChatMessage[] {
  const instructions = {
    en: `Rate the sentiment of the customer's message to a shop's customer service.
Reply with JSON only, in this form: {"label": "positive" | "neutral" | "negative", "score": <a number from -1 (very negative) to 1 (very positive)>}`,
    'zh-CN': `判断客户发给店铺客服的这条消息的情绪。
只回复 JSON，格式为：{"label": "positive" | "neutral" | "negative", "score": <-1（非常负面）到 1（非常正面）之间的数>}`,
  }
  return [system(instructions[language]), user(text)]
}

/** The flow node's prompt: answer the customer's last message, following the shop's instructions. */
export function replyNodePrompt(
  text: string,
  instructions: string,
  channel: 'text' | 'voice',
  language: Language,
): ChatMessage[] {
  const base = {
    en: `You are a shop's customer-service assistant. Answer the customer's message briefly and politely, in the language the customer writes in. Do not invent order details, prices or policies; when you do not know, say that a colleague will help.${channel === 'voice' ? ' Your answer will be read aloud: no lists, links, markdown or emoji.' : ''}`,
    'zh-CN': `你是店铺的客服助手。用客户使用的语言简洁、礼貌地回答客户的消息。不要编造订单信息、价格或政策；不知道时就说会有同事来帮忙。${channel === 'voice' ? '你的回答会被朗读出来：不要使用列表、链接、Markdown 或表情符号。' : ''}`,
  }
  const shop = { en: "The shop's instructions:", 'zh-CN': '店铺的说明：' }
  const content = instructions.trim()
    ? `${base[language]}\n\n${shop[language]}\n${instructions.trim()}`
    : base[language]
  return [system(content), user(text)]
}
