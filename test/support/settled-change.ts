import type { AgentChange } from './routing-driver.js'

/**
 * What an agent's own changes say about moment `at` (default: now): the last presence or capacity
 * they set, when that change had been answered by `at` and no later one had been asked yet.
 * Null when a change was in flight at `at` (nothing is known then) or none was made.
 */
export function settledChangeAt(
  changes: AgentChange[],
  agentId: string,
  kind: AgentChange['kind'],
  at = Number.POSITIVE_INFINITY,
): AgentChange | null {
  const mine = changes.filter((c) => c.agentId === agentId && c.kind === kind && c.sentAt <= at)
  if (mine.some((c) => c.doneAt === null || c.doneAt >= at)) return null
  return mine.reduce<AgentChange | null>((last, c) => (!last || c.doneAt! > last.doneAt! ? c : last), null)
}
