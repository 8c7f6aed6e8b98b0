import type { MediaStats } from './media.js'

/**
 * Where a call is: `ringing` (INVITE taken), `ivr` (answered, the flow talks to the caller),
 * `queued` (handed off: the caller holds for an agent), `ringing-agent` (an agent's softphone
 * rings), `connected` (the caller talks to an agent), `ended`. The IVR part only goes forward;
 * after the hand-off a call may go back to its queue (the agent did not answer, a blind transfer
 * to a queue) or ring another agent (a transfer), and every phase may end.
 */
export type CallPhase = 'ringing' | 'ivr' | 'queued' | 'ringing-agent' | 'connected' | 'ended'

/** How a call ended: the flow hung up, the caller did, the agent did, or it failed. */
export type CallEnd = 'flow-hangup' | 'caller-hangup' | 'agent-hangup' | 'flow-ended' | 'failed' | 'shutdown'

/** the phases each phase may move to */
const NEXT: Record<CallPhase, CallPhase[]> = {
  // an outgoing call connects its customer straight to the agent who placed it
  ringing: ['ivr', 'connected', 'ended'],
  ivr: ['queued', 'ringing-agent', 'ended'],
  queued: ['ringing-agent', 'ended'],
  'ringing-agent': ['connected', 'queued', 'ringing-agent', 'ended'],
  connected: ['queued', 'ringing-agent', 'ended'],
  ended: [],
}

/** The call is past the IVR: in a queue or with an agent (the flow's end does not hang it up). */
export function withAgentSide(phase: CallPhase): boolean {
  return phase === 'queued' || phase === 'ringing-agent' || phase === 'connected'
}

export interface PlayedPrompt {
  text: string | null
  file: string | null
  /** 20 ms packets of it sent */
  packets: number
  /** played to its end (false: a key or the hang-up cut it short) */
  finished: boolean
}

/** What is known about one call; the summary of a finished call is kept for tests and status. */
export interface CallFacts {
  callId: string
  /** the number (or SIP address) that called, as the caller ID gave it */
  from: string
  /** the number called (the request URI's user) */
  to: string
  phase: CallPhase
  conversationId: string | null
  startedAt: Date
  answeredAt: Date | null
  endedAt: Date | null
  end: CallEnd | null
  /** keys pressed, in order */
  keys: string[]
  prompts: PlayedPrompt[]
  queue: string | null
  /** the media counters when the call ended */
  media: MediaStats | null
  /** the agent the caller talks to (or whose softphone rings) */
  agentId: string | null
  /** when an agent answered (the last one, after a transfer) */
  answeredByAgentAt: Date | null
  /** from joining the queue to the first agent's answer */
  waitMs: number | null
  /** the agents who answered, in order (a transfer adds one) */
  agents: string[]
}

export function newCallFacts(input: { callId: string; from: string; to: string; at: Date }): CallFacts {
  return {
    callId: input.callId,
    from: input.from,
    to: input.to,
    phase: 'ringing',
    conversationId: null,
    startedAt: input.at,
    answeredAt: null,
    endedAt: null,
    end: null,
    keys: [],
    prompts: [],
    queue: null,
    media: null,
    agentId: null,
    answeredByAgentAt: null,
    waitMs: null,
    agents: [],
  }
}

/** Moves the call on; false (and no change) when that is not a move from where it is (already there, or past it). */
export function advance(facts: CallFacts, phase: CallPhase): boolean {
  if (!NEXT[facts.phase].includes(phase)) return false
  facts.phase = phase
  return true
}

/** A caller ID fit for logs and conversation attributes: the last four digits shown. */
export function maskNumber(number: string): string {
  const digits = number.replace(/\D/g, '')
  if (digits.length < 7) return number.replace(/./g, (c, i) => (i < number.length - 2 ? '*' : c))
  let seen = 0
  const keep = new Set<number>()
  for (let i = number.length - 1; i >= 0 && seen < 4; i--)
    if (/\d/.test(number[i]!)) {
      keep.add(i)
      seen += 1
    }
  // the country code and the first digits stay: +86 138****5678
  let lead = 0
  return [...number]
    .map((c, i) => {
      if (!/\d/.test(c)) return c
      if (keep.has(i)) return c
      lead += 1
      return lead <= 5 ? c : '*'
    })
    .join('')
}
