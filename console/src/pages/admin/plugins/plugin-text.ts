import type { Localized } from '../admin-types'

/** A plugin's own text in the console's language (plugins ship en and zh-CN). */
export function pluginText(text: Localized | undefined, locale: string): string {
  if (!text) return ''
  return (locale === 'zh-CN' ? text['zh-CN'] : text.en) || text.en || text['zh-CN'] || ''
}
