import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { conversationApi } from './conversation-api'
import type { DirectoryUser } from './conversation-types'

/** Colleagues' ids and names (mentions, transfers, who wrote a note), loaded once per sign-in. */
export const useDirectoryStore = defineStore('conversation-directory', () => {
  const users = ref<DirectoryUser[]>([])
  let loading: Promise<void> | null = null
  const nameOf = computed(() => new Map(users.value.map((u) => [u.id, u.name])))

  function load(force = false): Promise<void> {
    if (loading && !force) return loading
    loading = conversationApi
      .directory()
      .then((list) => void (users.value = list))
      .catch((error: unknown) => {
        loading = null
        throw error
      })
    return loading
  }

  return { users, nameOf, load }
})
