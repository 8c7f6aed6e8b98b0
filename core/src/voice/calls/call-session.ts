import type { FlowOutput } from '../../flows/index.js'
import type { Clock } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import { advance, withAgentSide, type CallEnd, type CallFacts, type PlayedPrompt } from './call-state.js'
import type { RtpMedia } from './media.js'
import type { PromptCache } from './prompts.js'
import type { QueueExperience, QueuedCallInput } from './queue-experience.js' // queue experience (helper C)
import type { ActiveRecording, CallRecordingHooks } from './recording.js' // [hook:recording]

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
  /** the flow handed the caller off to a queue (the agent side looks whether someone is assigned already) */
  handedOff?(session: CallSession): void
  /** queue experience (helper C): what a queued caller hears (music, position, callback offer) */
  queueExperience?: (call: QueuedCallInput) => QueueExperience
  /** [hook:recording] call recording with consent (voice.recording); unset: no recording */
  recording?: CallRecordingHooks
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
  /** the media of the caller's leg (the bridge to an agent, DTMF to the caller, hold audio) */
  get callerMedia(): RtpMedia {
    return this.media
  }

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
    const conversation = this.deps.inbound(this.facts, {
      id: `call:${this.facts.callId}`,
      kind: 'event',
      event: 'call.started',
    })
    this.recordWithConsent(conversation) // [hook:recording] before anything the flow plays
    const conversationId = await conversation
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
          this.facts.queue ??= stringOrNull(output.queue)
          // (an agent may already be ringing: the conversation was assigned as soon as it was queued)
          if (this.facts.phase === 'ivr' && advance(this.facts, 'queued')) {
            // the hand-off's own "connecting you…" message was just spoken: no second announcement
            const announced = outputs.slice(0, index).findLast((o) => o.kind !== 'message')?.kind === 'voice.play'
            if (!announced) this.enqueuePlay({ text: this.deps.holdPrompt(this.language), file: null }, this.generation)
            this.startQueueExperience() // queue experience (helper C)
          }
          this.deps.handedOff?.(this)
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
    // queue experience (helper C): a queued caller's keys go to it (1 takes the callback offer), not to the flow
    if (this.facts.phase === 'queued' && this.queueExperience && !this.queueExperience.isStopped)
      return this.queueExperience.key(key)
    const gather = this.gather
    if (!gather) {
      if (this.typeAhead.length < 32) this.typeAhead.push(key)
      // a menu or question waits for input without a gather: a key answers it
      setTimeout(() => void this.answerWaitingInput(), 300).unref()
      return
    }
    if (this.media.busy && !this.consentPlaying) {
      // the caller knows the answer: stop the prompt (not the consent announcement: [hook:recording])
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
    this.queueExperience?.stop() // queue experience (helper C)
    this.media.stopPlayback()
    await this.stopRecording() // [hook:recording] sealed before the media closes and the call's facts are kept
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

  // queue experience (helper C)
  /** what the caller hears while queued; stopped when an agent answers, the call is transferred or ends */
  queueExperience: QueueExperience | undefined

  /** queue experience (helper C): starts (again) what a queued caller hears, after what is already playing. */
  startQueueExperience(): void {
    const create = this.deps.queueExperience
    const conversationId = this.facts.conversationId
    if (!create || !conversationId || this.ended) return
    this.queueExperience?.stop()
    const experience = create({
      callId: this.facts.callId,
      conversationId,
      from: this.facts.from,
      language: () => this.language,
      media: this.media,
      speech: (text) => this.deps.prompts.speech(text, this.language),
      prompts: this.facts.prompts,
      hangUp: () => this.hangUp('flow-hangup'),
    })
    this.queueExperience = experience
    // not once an agent talks to the caller (an answer while the hold prompt played)
    this.enqueue(async () => {
      if (this.facts.phase === 'queued' || this.facts.phase === 'ringing-agent') experience.start()
    })
  }

  // [hook:recording] call recording with consent (helper D)
  /** the recording of this call, while it runs */
  recording: ActiveRecording | undefined
  /** the consent announcement is playing: keys do not cut it short */
  private consentPlaying = false

  /**
   * When calls are recorded: the consent announcement (in the caller's language) is the first
   * thing played, before the flow's prompts (they queue behind it), and the recorder starts only
   * once it has been played to its end. Without consent, recording starts on answer.
   */
  private recordWithConsent(conversation: Promise<string>): void {
    const hooks = this.deps.recording
    if (!hooks?.enabled()) return
    conversation.catch(() => undefined)
    this.enqueue(async () => {
      const conversationId = await conversation.catch(() => null)
      if (!conversationId || this.ended) return
      const consent = hooks.consent(this.language)
      let consentPlayedAt: Date | null = null
      if (consent) {
        const prompt: PlayedPrompt = { text: consent.text, file: consent.file, packets: 0, finished: false }
        const audio = await (
          consent.file
            ? this.deps.prompts.file(consent.file)
            : this.deps.prompts.speech(consent.text ?? '', this.language)
        ).catch((error: unknown) => {
          this.deps.logger.error(
            { err: error, callId: this.facts.callId },
            'the consent announcement could not be rendered: the call is not recorded',
          )
          return null
        })
        if (!audio || this.ended) return
        this.facts.prompts.push(prompt)
        const before = this.media.stats.promptSent
        this.consentPlaying = true
        try {
          prompt.finished = await this.media.play(audio)
        } finally {
          this.consentPlaying = false
        }
        prompt.packets = this.media.stats.promptSent - before
        // not played to its end (the call ended, the media stopped): no recording
        if (!prompt.finished || this.ended) return
        consentPlayedAt = this.deps.clock.now()
      }
      this.recording = hooks.start({ callId: this.facts.callId, conversationId, media: this.media, consentPlayedAt })
    })
  }

  private async stopRecording(): Promise<void> {
    const recording = this.recording
    this.recording = undefined
    await recording
      ?.stop()
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error, callId: this.facts.callId }, 'the call recording was not completed'),
      )
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
    if (this.ended || this.hangingUp || withAgentSide(this.facts.phase) || this.gather) return
    this.idleTimer = setTimeout(() => void this.idleCheck(), delayMs)
    this.idleTimer.unref()
  }

  private async idleCheck(): Promise<void> {
    if (this.ended || this.hangingUp || withAgentSide(this.facts.phase) || this.gather || !this.facts.conversationId)
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
