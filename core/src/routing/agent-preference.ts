/** An agent who may take a conversation, with what decides between such agents. */
export interface Candidate {
  agentId: string
  /** a standby agent of the queue rather than a member */
  standby: boolean
  /** the skill match (`skillScore`): higher is better */
  score: number
  idleSince: number
}

/**
 * Which of two eligible agents gets a conversation (sticky routing aside): a member of the queue before a standby
 * agent, then the better skill match, then the one idle longest (smaller `idleSince`), then the smaller id.
 */
export function compareCandidates(a: Candidate, b: Candidate): number {
  if (a.standby !== b.standby) return a.standby ? 1 : -1
  if (a.score !== b.score) return a.score > b.score ? -1 : 1
  if (a.idleSince !== b.idleSince) return a.idleSince < b.idleSince ? -1 : 1
  return a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0
}
