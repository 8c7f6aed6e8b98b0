import { defineStore } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '../../api/http'
import {
  repliesApi,
  type CannedInput,
  type CannedResponse,
  type CannedVariable,
} from '../../features/replies/replies-api'

/** The canned responses page: the list with its filters, and the variables the editor offers. */
export const useCannedStore = defineStore('canned', () => {
  const records = ref<CannedResponse[]>([])
  const variables = ref<CannedVariable[]>([])
  const uiFlags = ref({ loading: false, loaded: false, error: null as string | null })
  const filters = ref({ q: '', scope: 'all' as 'all' | 'shared' | 'mine', language: '' })

  let generation = 0
  async function load() {
    const mine = ++generation
    uiFlags.value.loading = true
    uiFlags.value.error = null
    try {
      const found = await repliesApi.canned({
        q: filters.value.q.trim() || undefined,
        scope: filters.value.scope,
        language: filters.value.language || undefined,
        limit: 500,
      })
      if (mine === generation) records.value = found
    } catch (e) {
      if (mine === generation) uiFlags.value.error = errorMessage(e)
    } finally {
      if (mine === generation) {
        uiFlags.value.loading = false
        uiFlags.value.loaded = true
      }
    }
  }

  async function loadVariables() {
    if (variables.value.length === 0) variables.value = await repliesApi.variables()
  }

  async function save(id: string | null, input: CannedInput): Promise<CannedResponse> {
    const saved = id ? await repliesApi.update(id, input) : await repliesApi.create(input)
    await load()
    return saved
  }

  async function remove(item: CannedResponse) {
    await repliesApi.remove(item.id)
    records.value = records.value.filter((r) => r.id !== item.id)
  }

  return { records, variables, uiFlags, filters, load, loadVariables, save, remove }
})
