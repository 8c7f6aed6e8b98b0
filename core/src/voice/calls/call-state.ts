import type { MediaStats } from './media.js'

/**
 * Where a call is: `ringing` (INVITE taken), `ivr` (answered, the flow talks to the caller),
 * `queued` (handed off: the caller holds for an agent), `ended`. Transitions only go forward.
 */
export type CallPhase = 'ringing' | 'ivr' | 'queued' | 'ended'

/** How a call ended: the flow hung up, the caller did, or it failed. */
export type CallEnd = 'flow-hangup' | 'caller-hangup' | 'flow-ended' | 'failed' | 'shutdown'

const ORDER: CallPhase[] = ['ringing', 'ivr', 'queued', 'ended']

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
  }
}

/** Moves the call forward; false (and no change) when it is already there or past it. */
export function advance(facts: CallFacts, phase: CallPhase): boolean {
  if (ORDER.indexOf(phase) <= ORDER.indexOf(facts.phase)) return false
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
