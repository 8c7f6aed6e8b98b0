import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../../api/http'
import {
  customerApi,
  type Contact,
  type ContactChange,
  type ContactHistory,
  type PluginPanelData,
} from './customer-api'

interface Slot<T> {
  value: T | null
  loading: boolean
  error: ApiError | null
}
const empty = <T>(): Slot<T> => ({ value: null, loading: false, error: null })
const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, { message: String(e) }, String(e)))

/**
 * The customers on screen: profile, history and plugin panels per contact id, each with its own
 * loading and error state, so a broken plugin or a slow history never blanks the profile.
 */
export const useCustomerStore = defineStore('customer', () => {
  const contacts = ref<Record<string, Slot<Contact>>>({})
  const histories = ref<Record<string, Slot<ContactHistory>>>({})
  const panels = ref<Record<string, Slot<PluginPanelData[]>>>({})

  function slotOf<T>(bag: Record<string, Slot<T>>, id: string): Slot<T> {
    if (!bag[id]) bag[id] = empty<T>()
    return bag[id]!
  }

  async function fill<T>(bag: Record<string, Slot<T>>, id: string, load: () => Promise<T>): Promise<void> {
    // read the slot back through the reactive bag: `bag[id] ??= x` evaluates to the raw `x`, and
    // changes made to a raw object never re-render the panel
    const slot = slotOf(bag, id)
    slot.loading = true
    slot.error = null
    try {
      slot.value = await load()
    } catch (e) {
      slot.error = asApiError(e)
    } finally {
      slot.loading = false
    }
  }

  return {
    contacts,
    histories,
    panels,
    loadContact: (id: string) => fill(contacts.value, id, () => customerApi.contact(id)),
    loadHistory: (id: string) => fill(histories.value, id, () => customerApi.history(id)),
    loadPanels: (id: string, refresh = false) => fill(panels.value, id, () => customerApi.panels(id, refresh)),
    /** Saves a change and shows the answer (the errors go to the caller, next to what failed). */
    async update(id: string, change: ContactChange): Promise<Contact> {
      const saved = await customerApi.update(id, change)
      slotOf(contacts.value, id).value = saved
      return saved
    },
    /** Merges `fromId` into `intoId`, then reloads all that changed. */
    async merge(intoId: string, fromId: string): Promise<Contact> {
      const merged = await customerApi.merge(intoId, fromId)
      slotOf(contacts.value, intoId).value = merged
      delete contacts.value[fromId]
      await Promise.all([
        fill(histories.value, intoId, () => customerApi.history(intoId)),
        fill(panels.value, intoId, () => customerApi.panels(intoId, true)),
      ])
      return merged
    },
  }
})
