import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { en } from './en'
import { zhCN } from './zh-CN'

/**
 * The builder's translations (en, zh-CN). The language is shared with the console through
 * localStorage `sb.locale` (same origin); a Chinese browser starts in zh-CN.
 */
export type Locale = 'en' | 'zh-CN'
export type Dict = { [key: string]: string | Dict }
const dictionaries: Record<Locale, Dict> = { en, 'zh-CN': zhCN }

export function initialLocale(): Locale {
  const saved = localStorage.getItem('sb.locale') ?? navigator.language
  return saved.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

function lookup(dict: Dict, key: string): string | undefined {
  let node: string | Dict | undefined = dict
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** `translate('en', 'canvas.nodes', { n: 3 })`: the text with `{n}` filled; the key itself if missing. */
export function translate(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const text = lookup(dictionaries[locale], key) ?? lookup(dictionaries.en, key) ?? key
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text
}

interface I18nValue {
  locale: Locale
  setLocale(locale: Locale): void
  t(key: string, params?: Record<string, string | number>): string
}

const I18nContext = createContext<I18nValue | null>(null)

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale)
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem('sb.locale', next)
    document.documentElement.lang = next
    setLocaleState(next)
  }, [])
  const t = useCallback(
    (key: string, params?: Record<string, string | number>) => translate(locale, key, params),
    [locale],
  )
  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext)
  if (!value) throw new Error('useI18n outside <I18nProvider>')
  return value
}
