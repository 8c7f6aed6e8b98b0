import type { MediaKind } from './routing-types.js'

/** How long one finished conversation took, from assignment to wrap-up done. */
export interface HandleTime {
  queueId: string
  media: MediaKind
  handleMs: number
}

/** Handle times used when nothing recent is known: 5 minutes for a call, 10 for a chat, 30 for an email. */
export const defaultHandleMs: Readonly<Record<MediaKind, number>> = { voice: 300_000, chat: 600_000, email: 1_800_000 }

/**
 * The average handle time for a queue and kind of work: the mean of the recent handle times of that queue and kind;
 * without any, of that kind in every queue; without any, the default for the kind.
 */
export function averageHandleTimes(
  recent: readonly HandleTime[],
  defaults: Partial<Record<MediaKind, number>> = {},
): (queueId: string, media: MediaKind) => number {
  const byQueue = new Map<string, { sum: number; count: number }>()
  const byMedia = new Map<MediaKind, { sum: number; count: number }>()
  const add = <K>(map: Map<K, { sum: number; count: number }>, key: K, ms: number) => {
    const total = map.get(key) ?? { sum: 0, count: 0 }
    total.sum += ms
    total.count += 1
    map.set(key, total)
  }
  for (const { queueId, media, handleMs } of recent) {
    if (!(handleMs >= 0) || !Number.isFinite(handleMs)) continue
    add(byQueue, `${media}\u0000${queueId}`, handleMs)
    add(byMedia, media, handleMs)
  }
  return (queueId, media) => {
    const total = byQueue.get(`${media}\u0000${queueId}`) ?? byMedia.get(media)
    return total ? total.sum / total.count : (defaults[media] ?? defaultHandleMs[media])
  }
}
