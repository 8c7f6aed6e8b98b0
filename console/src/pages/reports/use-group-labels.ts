import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { api } from '../../api/http'
import { NO_GROUP, type Dimension } from './report-types'

export interface Named {
  id: string
  name: string
}

/**
 * Names for the keys the analytics API groups by: queue and agent ids become names (read once),
 * channels their translated name; the "(none)" group says what is missing.
 */
export function useGroupLabels() {
  const { t, te } = useI18n()
  const queues = ref<Named[]>([])
  const people = ref<Map<string, string>>(new Map())

  async function load(): Promise<void> {
    const [q, d] = await Promise.all([
      api.get<Named[]>('/api/v1/queues').catch(() => [] as Named[]),
      api.get<Named[]>('/api/v1/users/directory').catch(() => [] as Named[]),
    ])
    queues.value = [...q].sort((a, b) => a.name.localeCompare(b.name))
    people.value = new Map(d.map((u) => [u.id, u.name]))
  }

  function channelName(channel: string): string {
    return te(`channels.${channel}`) ? t(`channels.${channel}`) : channel
  }

  function label(dimension: Dimension | null, key: string): string {
    if (key === NO_GROUP && dimension) return t(`reports.none.${dimension}`)
    if (dimension === 'channel') return channelName(key)
    if (dimension === 'queue') return queues.value.find((q) => q.id === key)?.name ?? key
    if (dimension === 'agent') return people.value.get(key) ?? key
    return key
  }

  return { queues, load, label, channelName }
}
