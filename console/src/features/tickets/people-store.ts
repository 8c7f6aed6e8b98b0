import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../../api/http'
import { useDirectoryStore } from '../conversation/directory-store'

export interface TeamRef {
  id: string
  name: string
  members: { id: string; name: string }[]
}

/**
 * The teams with their members and every colleague's name: what the ticket pages pick owners from
 * (assignee, team, escalation target). Loaded once per sign-in; `load(true)` reads them again.
 */
export const usePeopleStore = defineStore('ticket-people', () => {
  const directory = useDirectoryStore()
  const teams = ref<TeamRef[]>([])
  let loading: Promise<void> | null = null

  const users = computed(() => directory.users)
  const nameOf = computed(() => directory.nameOf)
  const teamName = computed(() => new Map(teams.value.map((tm) => [tm.id, tm.name])))

  function load(force = false): Promise<void> {
    if (loading && !force) return loading
    loading = Promise.all([
      api.get<TeamRef[]>('/api/v1/teams').then((list) => {
        teams.value = [...list].sort((a, b) => a.name.localeCompare(b.name))
      }),
      directory.load(force),
    ])
      .then(() => undefined)
      .catch((error: unknown) => {
        loading = null
        throw error
      })
    return loading
  }

  /** The members of a team (everyone when no team is given), by name. */
  function membersOf(teamId: string | null | undefined): { id: string; name: string }[] {
    if (!teamId) return directory.users
    return [...(teams.value.find((tm) => tm.id === teamId)?.members ?? [])].sort((a, b) => a.name.localeCompare(b.name))
  }

  return { teams, users, nameOf, teamName, load, membersOf }
})
