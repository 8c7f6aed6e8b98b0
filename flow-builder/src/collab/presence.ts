/** Editors' presence, without React: who else has the flow open, their initials and colours. */
export interface FlowEditor {
  key: string
  userId: string
  name: string
  email: string
  role: string
  since: string
}

export interface DraftSaved {
  flowId: string
  rev: number
  at: string
  by: { userId: string | null; email: string | null; name: string | null }
}

/** The other people on the flow: one entry per person (two tabs of one person are one), me left out. */
export function otherEditors(editors: FlowEditor[], me: { userId: string; key: string | null }): FlowEditor[] {
  const seen = new Set<string>()
  return editors.filter((e) => {
    if (e.userId === me.userId || e.key === me.key || seen.has(e.userId)) return false
    seen.add(e.userId)
    return true
  })
}

/** "李雷" → "李雷", "Ada Lovelace" → "AL", "bob@x" → "B". */
export function initials(name: string): string {
  const clean = name.trim()
  if (!clean) return '?'
  if (/[\u3400-\u9fff]/.test(clean)) return [...clean.replace(/\s/g, '')].slice(-2).join('')
  const words = clean.split(/[\s@._-]+/).filter(Boolean)
  return ((words[0]?.[0] ?? '') + (words.length > 1 && !clean.includes('@') ? (words[1]?.[0] ?? '') : '')).toUpperCase()
}

const PALETTE = ['#4f46e5', '#0e9384', '#c11574', '#dc6803', '#2e90fa', '#7a5af8', '#099250', '#e04f16']

/** A stable colour per person. */
export function colourOf(userId: string): string {
  let h = 0
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[h % PALETTE.length]!
}

/** Whether a draft-saved notice is news to me: saved by someone else, newer than what I have. */
export const isForeignSave = (event: DraftSaved, me: { userId: string }, myRevision: number) =>
  event.by.userId !== me.userId && event.rev > myRevision
