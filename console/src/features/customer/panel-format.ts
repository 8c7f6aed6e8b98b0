import type { FieldFormat, LocalizedText, PanelField } from './customer-api'

/**
 * Reading plugin panel data by the field paths their definitions give ("number",
 * "shipments[0].waybill", "attributes.owner") and turning each value into something to show:
 * text, a badge, a money amount, a date or a link. Never raw JSON.
 */
export function valueAt(data: unknown, path: string): unknown {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
  let current: unknown = data
  for (const part of parts) {
    if (current === null || current === undefined) return undefined
    if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)]
    else if (typeof current === 'object') current = (current as Record<string, unknown>)[part]
    else return undefined
  }
  return current
}

export function localized(text: LocalizedText, locale: string): string {
  return locale.startsWith('zh') ? text['zh-CN'] || text.en : text.en || text['zh-CN']
}

/** The rows a panel shows: a list result is one row per item, one object is one row. */
export function rowsOf(data: unknown): unknown[] {
  if (data === null || data === undefined) return []
  return Array.isArray(data) ? data : [data]
}

export interface Shown {
  kind: FieldFormat | 'empty'
  /** for badges: one or more texts */
  texts: string[]
  href?: string
  date?: Date
}

const plain = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) {
    const parts = value.map(plain).filter((v): v is string => v !== null)
    return parts.length ? parts.join(', ') : null
  }
  // an object where a word was expected: show its name-like member, never JSON
  const o = value as Record<string, unknown>
  for (const key of ['name', 'title', 'text', 'label', 'value', 'id'])
    if (typeof o[key] === 'string' || typeof o[key] === 'number') return String(o[key])
  return null
}

export function formatMoney(value: unknown, locale: string): string | null {
  let amount: number | null = null
  let currency: string | null = null
  if (typeof value === 'number') amount = value
  else if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) amount = Number(value)
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>
    const raw = o.amount ?? o.value ?? o.total
    amount = raw === undefined || raw === null || raw === '' ? null : Number(raw)
    currency = typeof o.currency === 'string' ? o.currency : null
  }
  if (amount === null || Number.isNaN(amount)) return plain(value)
  try {
    return new Intl.NumberFormat(
      locale,
      currency ? { style: 'currency', currency } : { maximumFractionDigits: 2 },
    ).format(amount)
  } catch {
    return `${amount}${currency ? ` ${currency}` : ''}`
  }
}

const safeHref = (value: string) => (/^https?:\/\//i.test(value) ? value : undefined)

export function show(field: PanelField, row: unknown, locale: string): Shown {
  const value = valueAt(row, field.path)
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return { kind: 'empty', texts: [] }
  switch (field.format) {
    case 'badge': {
      const texts = (Array.isArray(value) ? value : [value]).map(plain).filter((v): v is string => v !== null)
      return texts.length ? { kind: 'badge', texts } : { kind: 'empty', texts: [] }
    }
    case 'money': {
      const text = formatMoney(value, locale)
      return text ? { kind: 'money', texts: [text] } : { kind: 'empty', texts: [] }
    }
    case 'date': {
      const date = new Date(String(value))
      if (Number.isNaN(date.getTime())) return { kind: 'text', texts: [plain(value) ?? ''] }
      return { kind: 'date', texts: [], date }
    }
    case 'link': {
      const href = typeof value === 'string' ? safeHref(value) : undefined
      return href ? { kind: 'link', texts: [], href } : { kind: 'text', texts: [plain(value) ?? ''] }
    }
    default: {
      const text = plain(value)
      return text === null ? { kind: 'empty', texts: [] } : { kind: 'text', texts: [text] }
    }
  }
}

/** A badge's colour from its words: done/delivered green, problems red, in progress blue. */
export function badgeTone(text: string): 'success' | 'danger' | 'warning' | 'info' | 'primary' {
  const t = text.toLowerCase()
  if (/(deliver|complete|signed|resolved|签收|完成|已解决|gold|vip|金)/.test(t)) return 'success'
  if (/(cancel|fail|refund|lost|exception|取消|失败|退款|异常)/.test(t)) return 'danger'
  if (/(pending|hold|wait|待|备货|处理中)/.test(t)) return 'warning'
  if (/(ship|transit|运输|发货|派送)/.test(t)) return 'info'
  return 'primary'
}
