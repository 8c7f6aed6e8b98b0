import { ApiError } from '../api/http'

/** A save refused because someone else saved the draft meanwhile (409 SB_ERR_FLOW_STALE). */
export interface StaleSave {
  currentRev: number
  yourRev: number
  savedAt: string | null
  savedBy: { userId: string | null; email: string | null; name: string | null } | null
}

/** The stale save in an error, or null when the error is something else. */
export function staleSaveOf(error: unknown): StaleSave | null {
  if (!(error instanceof ApiError) && !(typeof error === 'object' && error && 'status' in error)) return null
  const e = error as { status: number; code?: string; details?: unknown }
  if (e.status !== 409 || (e.code && e.code !== 'SB_ERR_FLOW_STALE')) return null
  const d = (e.details ?? {}) as Partial<StaleSave>
  return {
    currentRev: typeof d.currentRev === 'number' ? d.currentRev : 0,
    yourRev: typeof d.yourRev === 'number' ? d.yourRev : 0,
    savedAt: typeof d.savedAt === 'string' ? d.savedAt : null,
    savedBy: d.savedBy ?? null,
  }
}

/** Who to name: their name, else their email, else null (the UI says "someone else"). */
export const whoSaved = (s: { savedBy: StaleSave['savedBy'] }) => s.savedBy?.name || s.savedBy?.email || null
