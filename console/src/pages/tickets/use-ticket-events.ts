import { onBeforeUnmount, onMounted } from 'vue'
import { realtime } from '../../realtime/realtime'

/** What the server sends on /tickets (core/src/realtime/ticket-subscription.ts). */
export interface TicketEvent {
  type: 'ticket'
  topic: string
  ticketId: number
  version: number
  status: string
}

export const TICKETS_PATH = '/tickets'

/**
 * Follows the changes of the tickets this person may see while the component is mounted: `onChange`
 * runs (at most every `quietMs`, with the events since the last run) after changes, and after a
 * reconnect (with no events: anything may have changed meanwhile).
 */
export function useTicketEvents(onChange: (events: TicketEvent[]) => void, quietMs = 400): void {
  let stop: (() => void) | undefined
  let stopResync: (() => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: TicketEvent[] = []
  let gone = false
  const flush = () => {
    timer = undefined
    const events = pending
    pending = []
    onChange(events)
  }
  onMounted(async () => {
    stopResync = realtime.onResync(() => onChange([]))
    try {
      const unsubscribe = await realtime.subscribe<TicketEvent>(TICKETS_PATH, (event) => {
        if (event.type !== 'ticket') return
        pending.push(event)
        timer ??= setTimeout(flush, quietMs)
      })
      if (gone) unsubscribe()
      else stop = unsubscribe
    } catch {
      // no socket (offline): the page still reads on demand and when it comes back into view
    }
  })
  onBeforeUnmount(() => {
    gone = true
    clearTimeout(timer)
    stop?.()
    stopResync?.()
  })
}
