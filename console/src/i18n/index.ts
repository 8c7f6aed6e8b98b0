import { createI18n } from 'vue-i18n'
import type { Messages } from '../app/page-module'
import { pageModules } from '../app/registry'
import { common } from './common'

export const LOCALES = ['en', 'zh-CN'] as const
export type Locale = (typeof LOCALES)[number]

function merge(target: Messages, source: Messages): Messages {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key]
    if (typeof value === 'object' && typeof existing === 'object') merge(existing, value)
    else target[key] = value
  }
  return target
}

const messages: Record<Locale, Messages> = { en: merge({}, common.en), 'zh-CN': merge({}, common['zh-CN']) }
for (const module of pageModules)
  if (module.messages) for (const locale of LOCALES) merge(messages[locale], module.messages[locale])

/** zh-CN for a Chinese browser, English otherwise; the signed-in user's setting wins once known. */
export function pickLocale(preferred?: string | null): Locale {
  const candidate = preferred ?? localStorage.getItem('sb.locale') ?? navigator.language
  return candidate?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: pickLocale(),
  fallbackLocale: 'en',
  messages,
  missingWarn: false,
  fallbackWarn: false,
  datetimeFormats: {
    en: {
      short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
      time: { hour: '2-digit', minute: '2-digit' },
      long: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
    },
    'zh-CN': {
      short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
      time: { hour: '2-digit', minute: '2-digit', hour12: false },
      long: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
    },
  },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem('sb.locale', locale)
  document.documentElement.lang = locale
}
