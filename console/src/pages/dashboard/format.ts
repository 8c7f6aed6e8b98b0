import { formatDuration } from '../../components/use-now'

/** 0.753 → "75%"; null → "—" */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`
}

/** A duration in ms for a tile: "1:05", or "—" when unknown. */
export function duration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : formatDuration(ms)
}

/** The channel colours the charts share (a channel keeps its colour across charts). */
const palette = ['#4f46e5', '#12b76a', '#f79009', '#2e90fa', '#ee46bc', '#7a5af8', '#667085']
const known = ['webchat', 'wechat', 'voice', 'email', 'sms', 'api']
export function channelColor(channel: string): string {
  const i = known.indexOf(channel)
  return palette[i >= 0 ? i : palette.length - 1]!
}
