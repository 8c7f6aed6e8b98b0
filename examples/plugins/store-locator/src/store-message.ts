import type { FoundStore } from './find-stores.js'

/** The message a customer reads: one line per store, with its address, phone and today's hours. */
export function storeMessage(city: string, stores: FoundStore[], language: 'zh-CN' | 'en'): string {
  if (language === 'en') {
    const lines = stores.map((s, i) => {
      const hours = s.todayHours ? `open today ${s.todayHours}${s.openNow ? ' (open now)' : ''}` : 'closed today'
      return `${i + 1}. ${s.name}: ${s.address}${s.phone ? `, tel. ${s.phone}` : ''}; ${hours}`
    })
    return [`Our stores in ${city}:`, ...lines].join('\n')
  }
  const lines = stores.map((s, i) => {
    const hours = s.todayHours ? `今日营业 ${s.todayHours}${s.openNow ? '（营业中）' : ''}` : '今日休息'
    return `${i + 1}. ${s.name}：${s.address}${s.phone ? `，电话 ${s.phone}` : ''}；${hours}`
  })
  return [`${city}的门店：`, ...lines].join('\n')
}
