import { ref, shallowRef, watch, type Ref } from 'vue'
import { ticketApi } from '../../features/tickets/ticket-api'
import type { SlaClockView, TicketDetail, TicketHistoryItem } from '../../features/tickets/ticket-types'

/**
 * One ticket as the detail page shows it: the ticket, its history (changes and notes, oldest first)
 * and its SLA clocks, read together and again after every change made from the page.
 */
export function useTicket(id: Ref<number | null>) {
  const ticket = ref<TicketDetail | null>(null)
  const history = ref<TicketHistoryItem[]>([])
  const clocks = ref<SlaClockView[]>([])
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  let generation = 0

  async function load(): Promise<void> {
    const forId = id.value
    if (forId === null) return
    const mine = ++generation
    loading.value = true
    try {
      const [detail, items, slaClocks] = await Promise.all([
        ticketApi.get(forId),
        ticketApi.history(forId),
        ticketApi.clocks(forId).catch(() => [] as SlaClockView[]),
      ])
      if (mine !== generation) return
      ticket.value = detail
      history.value = [...items].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq)
      clocks.value = slaClocks
      error.value = null
    } catch (e) {
      if (mine === generation) error.value = e
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** Takes a ticket a call answered with, then reads history and clocks again. */
  function adopt(next: TicketDetail): Promise<void> {
    ticket.value = next
    return load()
  }

  watch(
    id,
    () => {
      ticket.value = null
      history.value = []
      clocks.value = []
      error.value = null
      void load()
    },
    { immediate: true },
  )

  return { ticket, history, clocks, loading, error, load, adopt }
}
