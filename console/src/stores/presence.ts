import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api/http'
import type { Presence } from '../api/types'

export interface MyAgentState {
  presence: Presence
  reason: string | null
  since: string
  capacity: Record<string, number>
  load: Record<string, number>
}

/** The signed-in agent's own presence (available / away / busy / after-call work, with a reason). */
export const usePresenceStore = defineStore('presence', () => {
  const state = ref<MyAgentState | null>(null)
  const saving = ref(false)

  async function load(): Promise<void> {
    state.value = await api.get<MyAgentState>('/api/v1/agents/me')
  }

  async function set(presence: Presence, reason: string | null = null): Promise<void> {
    saving.value = true
    try {
      await api.put('/api/v1/agents/me/presence', reason ? { presence, reason } : { presence })
      await load()
    } finally {
      saving.value = false
    }
  }

  /** A presence event about me (from the realtime API) */
  function applyEvent(event: { presence: Presence; reason: string | null; since: string }) {
    if (state.value)
      state.value = { ...state.value, presence: event.presence, reason: event.reason, since: event.since }
  }

  return { state, saving, load, set, applyEvent }
})
