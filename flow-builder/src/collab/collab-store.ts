import { useSyncExternalStore } from 'react'
import { api } from '../api/http'
import type { StaleSave } from './conflict'
import type { DraftSaved, FlowEditor } from './presence'

/**
 * What collaboration knows about the open flow, shared by the header widget, the conflict dialog
 * and the versions panel: who else is editing, draft-saved notices, and a pending stale save.
 */
export interface CollabState {
  flowId: string | null
  editors: FlowEditor[]
  notices: DraftSaved[]
  conflict: StaleSave | null
  me: { userId: string; name: string } | null
  /** the mounted conflict-dialog hosts (header widget, versions panel): the first one shows it */
  hosts: number[]
}

let state: CollabState = { flowId: null, editors: [], notices: [], conflict: null, me: null, hosts: [] }
let nextHost = 1
const listeners = new Set<() => void>()

function set(patch: Partial<CollabState>) {
  state = { ...state, ...patch }
  for (const l of listeners) l()
}

export const collab = {
  get: () => state,
  subscribe(listener: () => void) {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  },
  openFlow(flowId: string) {
    if (state.flowId !== flowId) set({ flowId, editors: [], notices: [], conflict: null })
  },
  setEditors: (editors: FlowEditor[]) => set({ editors }),
  notice(event: DraftSaved) {
    if (!state.notices.some((n) => n.rev === event.rev)) set({ notices: [...state.notices, event].slice(-5) })
  },
  dismissNotices: () => set({ notices: [] }),
  setConflict: (conflict: StaleSave | null) => set({ conflict }),
  addHost(): number {
    const id = nextHost++
    set({ hosts: [...state.hosts, id] })
    return id
  },
  removeHost: (id: number) => set({ hosts: state.hosts.filter((h) => h !== id) }),
}

let meLoading: Promise<void> | null = null
/** Who I am (to leave myself out of the editors and my own saves out of the notices). */
export function loadMe(): Promise<void> {
  meLoading ??= api
    .get<{ id: string; name: string }>('/api/v1/auth/me')
    .then((u) => set({ me: { userId: u.id, name: u.name } }))
    .catch(() => undefined)
  return meLoading
}

export function useCollab(): CollabState {
  return useSyncExternalStore(collab.subscribe, collab.get)
}
