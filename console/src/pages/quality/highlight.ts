/** A stretch of a message a hit points at: [start, end) in UTF-16 code units, as String.slice. */
export interface Mark {
  start: number
  end: number
  hitId: string
  accepted: boolean
}

export interface Segment {
  text: string
  start: number
  /** the hits covering this piece (several when they overlap) */
  marks: Mark[]
}

/**
 * Cuts a message into pieces at every hit's start and end, so each piece is either plain text or
 * covered by one or more hits. Marks outside the text are clipped; empty ones are dropped.
 */
export function segmentsOf(body: string, marks: readonly Mark[]): Segment[] {
  const clipped = marks
    .map((m) => ({
      ...m,
      start: Math.max(0, Math.min(body.length, m.start)),
      end: Math.max(0, Math.min(body.length, m.end)),
    }))
    .filter((m) => m.end > m.start)
  const cuts = [...new Set([0, body.length, ...clipped.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b)
  const out: Segment[] = []
  for (let i = 0; i < cuts.length - 1; i++) {
    const start = cuts[i]!
    const end = cuts[i + 1]!
    const covering = clipped.filter((m) => m.start <= start && m.end >= end)
    const last = out[out.length - 1]
    // neighbours with the same marks (none, typically) stay one piece
    if (last && sameMarks(last.marks, covering)) last.text += body.slice(start, end)
    else out.push({ text: body.slice(start, end), start, marks: covering })
  }
  return out
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
  return a.length === b.length && a.every((m, i) => m.hitId === b[i]!.hitId)
}
