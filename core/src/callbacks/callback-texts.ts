/** What people read about callbacks, in the two languages of the product. */
export type Language = 'en' | 'zh-CN'

/** A contact's language as the texts know it: Chinese unless it says English. */
export function languageOf(contactLanguage: string | null | undefined): Language {
  return contactLanguage?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

/** Sent on the customer's channel when an agent takes a message-mode callback. */
export const customerMessage: Record<Language, string> = {
  en: 'We promised to get back to you — an agent is with you now.',
  'zh-CN': '我们答应过回复您——现在由客服为您服务。',
}

export function dueNotification(contactName: string | null, note: string) {
  const who = { en: contactName ?? 'the customer', 'zh-CN': contactName ?? '客户' }
  const tail = note ? { en: `: ${note}`, 'zh-CN': `：${note}` } : { en: '', 'zh-CN': '' }
  return {
    title: { en: 'A callback is due', 'zh-CN': '有一个回电到期' },
    body: { en: `Call back ${who.en}${tail.en}`, 'zh-CN': `请回电给${who['zh-CN']}${tail['zh-CN']}` },
  }
}

export function failedNotification(contactName: string | null, reason: string) {
  const who = { en: contactName ?? 'a customer', 'zh-CN': contactName ?? '客户' }
  return {
    title: { en: 'A callback failed', 'zh-CN': '回电失败' },
    body: {
      en: `The callback to ${who.en} was not completed (${reason})`,
      'zh-CN': `给${who['zh-CN']}的回电未完成（${reason}）`,
    },
  }
}
