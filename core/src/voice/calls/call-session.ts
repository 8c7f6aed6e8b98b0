import type { FlowOutput } from '../../flows/index.js'
import type { Clock } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import { advance, type CallEnd, type CallFacts, type PlayedPrompt } from './call-state.js'
import type { RtpMedia } from './media.js'
import type { PromptCache } from './prompts.js'

/** What a call session needs from the rest of Switchboard (bound by voice-calls.ts). */
export interface CallSessionDeps {
  prompts: PromptCache
  clock: Clock
  logger: Logger
  /** the caller's side into the conversation: the call's start (an event) or keys (text); gives the conversation */
  inbound(
    facts: CallFacts,
    message: { id: string; kind: 'event' | 'text'; text?: string; event?: string },
  ): Promise<string>
  /** where the conversation's flow is: a run waiting (for input or anything else), running, ended, or none */
  runState(conversationId: string): Promise<'waiting-input' | 'waiting' | 'running' | 'ended' | 'none'>
  /** said once to a caller put in a queue */
  holdPrompt(language: string | null): string
  /** after the call: the conversation's call facts and status, the flow run, rtpengine */
  finish(facts: CallFacts): Promise<void>
}

/** The SIP side of the call: hang up (BYE). */
export interface CallSignal {
  bye(): Promise<void>
}

/** after the last key of an unfinished gather, how long until the keys so far are taken */
const INTER_DIGIT_MS = 4000
/** how long a run must stay ended, with nothing playing, before the call is hung up */
const SETTLE_MS = 1500

/**
 * One answered call driven by the conversation's flow: speaks `voice.play` outputs in order,
 * collects keys for `voice.gather` (max digits, `#` ends, a key cuts the prompt short, keys
 * pressed early are kept), puts the caller on hold after a `handoff`, hangs up on
 * `voice.hangup` (after the prompts before it) or when the flow ends without hanging up.
 */
export class CallSession {
  private gather: { maxDigits: number; digits: string; timer?: NodeJS.Timeout; safety?: NodeJS.Timeout } | undefined
  private readonly typeAhead: string[] = []
  private chain: Promise<void> = Promise.resolve()
  private pending = 0
  /** plays queued before a key cut them short carry an older generation and are skipped */
  private generation = 0
  private keySeq = 0
  private hangingUp = false
  private lastActivity = performance.now()
  private idleTimer: NodeJS.Timeout | undefined
  private endSeenAt: number | undefined
  /** why we sent a BYE, if we did */
  private byeReason: CallEnd | undefined
  private answeredAt = performance.now()
  private ended = false
  language: string | null = null

  constructor(
    readonly facts: CallFacts,
    private readonly media: RtpMedia,
    private readonly signal: CallSignal,
    private readonly deps: CallSessionDeps,
  ) {}

  get isEnded(): boolean {
    return this.ended
  }

  /** The call is established: media runs, the conversation hears of the call (which starts its entry flow). */
  async answered(): Promise<string> {
    this.facts.answeredAt = this.deps.clock.now()
    this.answeredAt = performance.now()
    advance(this.facts, 'ivr')
    const conversationId = await this.deps.inbound(this.facts, {
      id: `call:${this.facts.callId}`,
      kind: 'event',
      event: 'call.started',
    })
    this.facts.conversationId = conversationId
    this.scheduleIdleCheck()
    return conversationId
  }

  /** What a turn of the conversation's flow produced. */
  handleOutputs(outputs: FlowOutput[]): void {
    if (this.ended) return
    this.touch()
    for (const [index, output] of outputs.entries()) {
      switch (output.kind) {
        case 'voice.play':
          this.enqueuePlay({ text: stringOrNull(output.text), file: stringOrNull(output.file) }, this.generation)
          break
        case 'voice.gather':
          this.armGather(Number(output.maxDigits) || 1, Number(output.timeoutMs) || 8000)
          break
        case 'handoff':
          if (advance(this.facts, 'queued')) {
            this.facts.queue = stringOrNull(output.queue)
            // the hand-off's own "connecting you…" message was just spoken: no second announcement
            const announced = outputs.slice(0, index).findLast((o) => o.kind !== 'message')?.kind === 'voice.play'
            if (!announced) this.enqueuePlay({ text: this.deps.holdPrompt(this.language), file: null }, this.generation)
          }
          break
        case 'voice.hangup':
          this.hangingUp = true
          this.enqueue(() => this.hangUp('flow-hangup'))
          break
        case 'voice.transfer':
        case 'voice.record':
          this.deps.logger.warn(
            { callId: this.facts.callId, output: output.kind },
            'this voice node does not work on calls yet; the flow goes on',
          )
          break
        default:
          break
      }
    }
  }

  /** A key the caller pressed (RFC 4733). */
  key(key: string): void {
    if (this.ended) return
    this.touch()
    this.facts.keys.push(key)
    const gather = this.gather
    if (!gather) {
      if (this.typeAhead.length < 32) this.typeAhead.push(key)
      // a menu or question waits for input without a gather: a key answers it
      setTimeout(() => void this.answerWaitingInput(), 300).unref()
      return
    }
    if (this.media.busy) {
      // the caller knows the answer: stop the prompt
      this.generation += 1
      this.media.stopPlayback()
    }
    this.addToGather(key)
  }

  /** The flow hangs up, or the call must end: BYE, then the after-call work. */
  async hangUp(reason: CallEnd): Promise<void> {
    if (this.ended) return
    this.hangingUp = true
    this.byeReason = reason
    try {
      await this.signal.bye()
    } catch (error) {
      this.deps.logger.warn({ err: error, callId: this.facts.callId }, 'the BYE was not sent')
    }
    await this.end(reason)
  }

  /** The SIP session terminated: after our own BYE, or the caller's. */
  terminated(): Promise<void> {
    return this.end(this.byeReason ?? 'caller-hangup')
  }

  /** The call is over (BYE either way, or a failure): media stops, the conversation gets its call facts. */
  async end(reason: CallEnd): Promise<void> {
    if (this.ended) return
    this.ended = true
    advance(this.facts, 'ended')
    this.facts.end = reason
    this.facts.endedAt = this.deps.clock.now()
    this.disarmGather()
    clearTimeout(this.idleTimer)
    this.media.stopPlayback()
    this.media.close()
    this.facts.media = { ...this.media.stats }
    try {
      await this.deps.finish(this.facts)
    } catch (error) {
      this.deps.logger.error(
        { err: error, callId: this.facts.callId },
        'the call ended but its conversation was not updated',
      )
    }
  }

  private touch(): void {
    this.lastActivity = performance.now()
  }

  private enqueue(job: () => Promise<void>): void {
    this.pending += 1
    this.chain = this.chain
      .then(job)
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error, callId: this.facts.callId }, 'a call step failed'),
      )
      .finally(() => {
        this.pending -= 1
        this.touch()
        if (this.pending === 0) this.scheduleIdleCheck()
      })
  }

  private enqueuePlay(what: { text: string | null; file: string | null }, generation: number): void {
    if (!what.text && !what.file) return
    // rendered now (in parallel with what plays before it), played in order
    const audio = (
      what.file ? this.deps.prompts.file(what.file) : this.deps.prompts.speech(what.text ?? '', this.language)
    ).catch((error: unknown) => {
      this.deps.logger.error({ err: error, callId: this.facts.callId }, 'a prompt could not be rendered')
      return null
    })
    this.enqueue(async () => {
      const prompt: PlayedPrompt = { text: what.text, file: what.file, packets: 0, finished: false }
      const buffer = await audio
      if (!buffer || this.ended || generation !== this.generation) return
      this.facts.prompts.push(prompt)
      const before = this.media.stats.promptSent
      prompt.finished = await this.media.play(buffer)
      prompt.packets = this.media.stats.promptSent - before
    })
  }

  private armGather(maxDigits: number, timeoutMs: number): void {
    this.disarmGather()
    // the flow's own timer ends the wait; this one only makes sure the call notices if nothing follows
    const safety = setTimeout(() => {
      if (this.gather === gather) this.disarmGather()
      this.scheduleIdleCheck()
    }, timeoutMs + 2000)
    safety.unref()
    const gather = { maxDigits, digits: '', safety } as NonNullable<typeof this.gather>
    this.gather = gather
    for (const key of this.typeAhead.splice(0)) {
      if (this.gather !== gather) break
      this.addToGather(key)
    }
  }

  private disarmGather(): void {
    if (!this.gather) return
    clearTimeout(this.gather.timer)
    clearTimeout(this.gather.safety)
    this.gather = undefined
  }

  private addToGather(key: string): void {
    const gather = this.gather!
    clearTimeout(gather.timer)
    if (key === '#') return this.submit(gather.digits || '#')
    gather.digits += key
    if (gather.digits.length >= gather.maxDigits) return this.submit(gather.digits)
    gather.timer = setTimeout(() => {
      if (this.gather === gather) this.submit(gather.digits)
    }, INTER_DIGIT_MS)
    gather.timer.unref()
  }

  private submit(digits: string): void {
    this.disarmGather()
    this.touch()
    this.scheduleIdleCheck()
    const id = `call:${this.facts.callId}:keys:${++this.keySeq}`
    void this.deps
      .inbound(this.facts, { id, kind: 'text', text: digits })
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error, callId: this.facts.callId }, 'the keys did not reach the flow'),
      )
  }

  private async answerWaitingInput(): Promise<void> {
    if (this.ended || this.gather || this.typeAhead.length === 0 || !this.facts.conversationId) return
    if ((await this.deps.runState(this.facts.conversationId)) !== 'waiting-input') return
    if (this.gather || this.typeAhead.length === 0) return
    this.submit(this.typeAhead.splice(0).join(''))
  }

  /**
   * A flow that ends without a hangup node ends the call too, once what it said has been played
   * and nothing new came for a moment (its last outputs may still be on their way).
   */
  private scheduleIdleCheck(delayMs = SETTLE_MS): void {
    clearTimeout(this.idleTimer)
    if (this.ended || this.hangingUp || this.facts.phase === 'queued' || this.gather) return
    this.idleTimer = setTimeout(() => void this.idleCheck(), delayMs)
    this.idleTimer.unref()
  }

  private async idleCheck(): Promise<void> {
    if (this.ended || this.hangingUp || this.facts.phase === 'queued' || this.gather || !this.facts.conversationId)
      return
    if (this.pending > 0 || this.media.busy) return // the chain checks again when it drains
    const state = await this.deps.runState(this.facts.conversationId).catch(() => 'running' as const)
    const startedLongAgo = performance.now() - this.answeredAt > 5000
    if (state === 'ended' || (state === 'none' && startedLongAgo)) {
      // seen ended twice with nothing happening in between: its last outputs were not on their way
      if (this.endSeenAt !== undefined && this.endSeenAt > this.lastActivity && this.pending === 0 && !this.media.busy)
        return this.hangUp('flow-ended')
      this.endSeenAt = performance.now()
      return this.scheduleIdleCheck()
    }
    this.endSeenAt = undefined
    // a run waiting for a timer or an event (or mid-turn): look again later
    this.scheduleIdleCheck(state === 'running' ? SETTLE_MS : 5000)
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}
