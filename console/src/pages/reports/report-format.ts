import { formatDuration } from '../../components/use-now'

/** 0.753 → "75.3%"; null → "—" */
export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '—'
  const p = value * 100
  return `${Number.isInteger(p) ? p : p.toFixed(digits)}%`
}

/** A duration in ms: "1:05", or "—" when unknown. */
export function duration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDuration(ms)
}

/** 12345 → "12,345" in the reader's language. */
export function count(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value)
}

/** A rate for a chart's axis: 0.753 → 75.3 (null stays a gap). */
export function asPercent(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 10
}

/** ms → seconds for a chart (null stays a gap). */
export function asSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 100) / 10
}

/** The colours the report charts give groups, in order (the channel colours of the dashboard first). */
export const SERIES_COLORS = ['#4f46e5', '#12b76a', '#f79009', '#2e90fa', '#ee46bc', '#7a5af8', '#f04438', '#98a2b3']
