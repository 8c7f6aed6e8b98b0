import type { Actor } from '../../audit/index.js'
import type { CallbacksService } from '../../callbacks/index.js'
import type { Clock } from '../../infra/index.js'
import type { Logger } from '../../logger.js'
import { normalizePhone } from '../../pii/index.js'
import type { PlayedPrompt } from './call-state.js'
import { holdMusic } from './hold-audio.js'

// ── what is said ───────────────────────────────────────────────────────────

/** Where a waiting caller stands: routing's position (1 = next) and estimated wait (null: unknown). */
export interface QueueStanding {
  queueId: string
  position: number
  estimatedWaitMs: number | null
}

type Language = 'zh' | 'en'
const languageOf = (language: string | null | undefined): Language => (language?.startsWith('zh') ? 'zh' : 'en')

/**
 * A wait in words: under a minute, whole minutes up to ten, then to the nearest five minutes,
 * and past an hour only "more than an hour" (an estimate that long is not worth more precision).
 */
export function waitInWords(waitMs: number, language: string | null | undefined): string {
  const zh = languageOf(language) === 'zh'
  if (waitMs < 60_000) return zh ? '不到一分钟' : 'less than a minute'
  const exact = waitMs / 60_000
  const minutes = exact < 10 ? Math.round(exact) : Math.round(exact / 5) * 5
  if (minutes > 60) return zh ? '超过一小时' : 'more than an hour'
  if (zh) return `约 ${minutes} 分钟`
  return minutes === 1 ? 'about 1 minute' : `about ${minutes} minutes`
}

/**
 * The position announcement: "You are number 3 in line. The estimated wait is about 3 minutes." /
 * "您前面还有 2 位客户，预计等待约 3 分钟。" (Chinese counts the callers ahead). No wait is said
 * when none is known (no agent of the queue at work).
 */
export function positionAnnouncement(standing: Omit<QueueStanding, 'queueId'>, language: string | null): string {
  const wait = standing.estimatedWaitMs === null ? null : waitInWords(standing.estimatedWaitMs, language)
  if (languageOf(language) === 'zh') {
    const ahead = standing.position - 1
    const where = ahead <= 0 ? '您是下一位' : `您前面还有 ${ahead} 位客户`
    return wait === null ? `${where}。` : `${where}，预计等待${wait}。`
  }
  const where = standing.position <= 1 ? 'You are next in line.' : `You are number ${standing.position} in line.`
  return wait === null ? where : `${where} The estimated wait is ${wait}.`
}

export function callbackOfferPrompt(language: string | null): string {
  return languageOf(language) === 'zh'
    ? '按1键预约回电，保留您的排队位置。'
    : 'Press 1 to be called back without losing your place in line.'
}

/** The booked callback, confirmed with the last four digits of the number (spaced: read one by one). */
export function callbackConfirmation(number: string, language: string | null): string {
  const last = number.replace(/\D/g, '').slice(-4).split('').join(' ')
  return languageOf(language) === 'zh'
    ? `好的，我们将回拨您尾号 ${last} 的电话，您的排队位置已为您保留。再见。`
    : `Thank you. We will call you back at the number ending in ${last}, and you keep your place in line. Goodbye.`
}

export function callbackFailedPrompt(language: string | null): string {
  return languageOf(language) === 'zh'
    ? '抱歉，暂时无法为您预约回电，请继续等待。'
    : 'Sorry, a callback cannot be booked right now. Please stay on the line.'
}

// ── when it is said ────────────────────────────────────────────────────────

export interface QueueExperienceSettings {
  /** between announcements (0: no announcements, and no callback offer) */
  announceEveryMs: number
  /** offer a callback when the estimated wait is longer than this or the caller has waited this long (0: never) */
  callbackOfferAfterMs: number
  /** once the offer is due, it follows every this many announcements */
  callbackOfferEvery: number
}

/**
 * Whether this announcement carries the callback offer: the caller has a number to call back,
 * the offer is on, the wait (so far or expected) passed the threshold, and either it was never
 * made or `callbackOfferEvery` announcements have passed since it last was.
 */
export function offerDue(input: {
  settings: QueueExperienceSettings
  canCallBack: boolean
  waitedMs: number
  estimatedWaitMs: number | null
  /** the number of this announcement (1 = the first) */
  announcement: number
  /** the number of the last announcement that carried the offer, null: none yet */
  lastOfferAt: number | null
}): boolean {
  const { settings } = input
  if (!input.canCallBack || settings.callbackOfferAfterMs <= 0 || settings.announceEveryMs <= 0) return false
  const long =
    input.waitedMs >= settings.callbackOfferAfterMs ||
    (input.estimatedWaitMs !== null && input.estimatedWaitMs > settings.callbackOfferAfterMs)
  if (!long) return false
  return input.lastOfferAt === null || input.announcement - input.lastOfferAt >= settings.callbackOfferEvery
}

// ── the experience of one call ─────────────────────────────────────────────

/** The call's media as the queue experience uses it (RtpMedia). */
export interface QueueMedia {
  play(audio: Buffer): Promise<boolean>
  stopPlayback(): void
  readonly stats: { promptSent: number }
}

/** One queued call, as the call session hands it over. */
export interface QueueCall {
  callId: string
  conversationId: string
  /** the caller's number (E.164) to call back, null when the caller ID is none (anonymous, a SIP name) */
  callerNumber: string | null
  /** the caller's language as known now (zh…: Chinese, else English) */
  language(): string | null
  media: QueueMedia
  /** µ-law speech of a text, in the caller's language */
  speech(text: string): Promise<Buffer>
  /** the call's prompts list (CallFacts.prompts): announcements are added as they play */
  prompts: PlayedPrompt[]
  /** ends the call (BYE) after the callback is booked */
  hangUp(): Promise<void>
}

/** What every queued call's experience shares. */
export interface QueueExperienceDeps {
  settings: QueueExperienceSettings
  /** business time, for how long the caller has waited */
  now(): number
  /** the conversation's standing in its queue now, null when it is not waiting (assigned, left) */
  standing(conversationId: string): Promise<QueueStanding | null>
  /** books the callback that keeps the caller's place (takes the conversation out of the line) */
  offerCallback(conversationId: string, number: string): Promise<void>
  music(): Promise<Buffer>
  logger: Pick<Logger, 'warn' | 'error' | 'info'>
}

type State = 'new' | 'waiting' | 'callback' | 'stopped'

/**
 * What a caller hears while queued: music on hold in a loop and, every `announceEveryMs`, their
 * position and estimated wait (read afresh each time, so callers leaving ahead or an overflow to
 * another queue show), with the callback offer when the wait is long. Key 1 after an offer books
 * the callback, confirms it and hangs up; other keys are ignored. `stop()` when the call leaves
 * the queue (an agent connects, a transfer, the hang-up).
 */
export class QueueExperience {
  private state: State = 'new'
  private startedAt = 0
  private announcements = 0
  private lastOfferAt: number | null = null
  /** wakes the wait for the next announcement (stop, a callback) */
  private wake: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined
  private playing = false
  /** each (re)start of the loop; an older loop that wakes up stops */
  private generation = 0

  constructor(
    readonly call: QueueCall,
    private readonly deps: QueueExperienceDeps,
  ) {}

  get isStopped(): boolean {
    return this.state === 'stopped'
  }

  /** Starts the music (and the announcements' clock). */
  start(): void {
    if (this.state !== 'new') return
    this.state = 'waiting'
    this.startedAt = this.deps.now()
    void this.loop().catch((error: unknown) =>
      this.deps.logger.error({ err: error, callId: this.call.callId }, 'the queue experience failed'),
    )
  }

  /** The call left the queue: music and announcements stop at once. */
  stop(): void {
    if (this.state === 'stopped') return
    const wasPlaying = this.playing
    this.state = 'stopped'
    this.interruptWait()
    if (wasPlaying) this.call.media.stopPlayback()
  }

  /** A key the caller pressed while queued: 1 takes an offered callback; the rest are ignored. */
  key(key: string): void {
    if (this.state !== 'waiting' || key !== '1' || this.lastOfferAt === null) return
    this.state = 'callback'
    this.interruptWait()
    if (this.playing) this.call.media.stopPlayback()
    void this.takeCallback().catch((error: unknown) =>
      this.deps.logger.error({ err: error, callId: this.call.callId }, 'the callback offer failed'),
    )
  }

  private async loop(): Promise<void> {
    const generation = ++this.generation
    const every = this.deps.settings.announceEveryMs
    const current = () => this.state === 'waiting' && this.generation === generation
    while (current()) {
      await this.holdFor(every > 0 ? every : undefined)
      if (!current()) return
      await this.announce(current)
    }
  }

  /** Music until the next announcement is due (or forever), or until stopped. */
  private async holdFor(ms: number | undefined): Promise<void> {
    let due = false
    const deadline = new Promise<void>((resolve) => {
      this.wake = () => {
        due = true
        resolve()
      }
    })
    if (ms !== undefined) {
      this.timer = setTimeout(() => {
        this.wake?.()
        // the music is cut for the announcement
        if (this.playing) this.call.media.stopPlayback()
      }, ms)
      this.timer.unref?.()
    }
    const music = await this.deps.music().catch((error: unknown) => {
      this.deps.logger.warn({ err: error, callId: this.call.callId }, 'no hold music: the caller hears silence')
      return null
    })
    while (this.state === 'waiting' && !due) {
      if (!music) {
        await deadline
        break
      }
      this.playing = true
      const finished = await this.call.media.play(music)
      this.playing = false
      // cut short by something else than the deadline (the media closed): silence until then
      if (!finished && !due) await deadline
    }
    clearTimeout(this.timer)
  }

  private interruptWait(): void {
    clearTimeout(this.timer)
    this.wake?.()
  }

  private async announce(current: () => boolean): Promise<void> {
    const standing = await this.deps.standing(this.call.conversationId).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, callId: this.call.callId }, 'the queue position could not be read')
      return null
    })
    // not waiting any more (an agent is being connected): nothing to announce
    if (!standing || !current()) return
    this.announcements += 1
    const language = this.call.language()
    const texts = [positionAnnouncement(standing, language)]
    const offer = offerDue({
      settings: this.deps.settings,
      canCallBack: this.call.callerNumber !== null,
      waitedMs: this.deps.now() - this.startedAt,
      estimatedWaitMs: standing.estimatedWaitMs,
      announcement: this.announcements,
      lastOfferAt: this.lastOfferAt,
    })
    if (offer) {
      texts.push(callbackOfferPrompt(language))
      this.lastOfferAt = this.announcements
    }
    for (const text of texts) if (!current() || !(await this.say(text, 'waiting'))) return
  }

  private async takeCallback(): Promise<void> {
    const language = this.call.language()
    try {
      await this.deps.offerCallback(this.call.conversationId, this.call.callerNumber!)
    } catch (error) {
      this.deps.logger.warn({ err: error, callId: this.call.callId }, 'the caller’s callback could not be booked')
      if (this.state !== 'callback') return
      await this.say(callbackFailedPrompt(language), 'callback')
      if (this.state !== 'callback') return
      // back in line: music and announcements as before (no second offer until it is due again)
      this.state = 'waiting'
      void this.loop().catch((failure: unknown) =>
        this.deps.logger.error({ err: failure, callId: this.call.callId }, 'the queue experience failed'),
      )
      return
    }
    this.deps.logger.info({ callId: this.call.callId }, 'the caller took a callback and keeps their place')
    if (this.state !== 'callback') return
    await this.say(callbackConfirmation(this.call.callerNumber!, language), 'callback')
    // (the caller may have hung up meanwhile)
    if (this.isStopped) return
    this.state = 'stopped'
    await this.call.hangUp()
  }

  /** Speaks a text unless the state changed meanwhile; false when it did not play to its end. */
  private async say(text: string, whileIn: State): Promise<boolean> {
    const audio = await this.call.speech(text).catch((error: unknown) => {
      this.deps.logger.error({ err: error, callId: this.call.callId }, 'an announcement could not be rendered')
      return null
    })
    if (!audio || this.state !== whileIn) return false
    const prompt: PlayedPrompt = { text, file: null, packets: 0, finished: false }
    this.call.prompts.push(prompt)
    const before = this.call.media.stats.promptSent
    this.playing = true
    prompt.finished = await this.call.media.play(audio)
    this.playing = false
    prompt.packets = this.call.media.stats.promptSent - before
    return prompt.finished
  }
}

// ── wiring ─────────────────────────────────────────────────────────────────

/** The session's side of a queued call; the factory adds the caller's callback number. */
export type QueuedCallInput = Omit<QueueCall, 'callerNumber'> & { from: string }

export interface QueueExperiencesOptions {
  settings: {
    queueAnnounceSeconds: number
    callbackOfferAfterSeconds: number
    callbackOfferEvery: number
    holdMusicFile?: string | undefined
  }
  dataDir: string
  clock: Clock
  logger: Logger
  /** the region of numbers without a country code (pii.defaultRegion) */
  phoneRegion: string
  /** routing's waiting conversations with position and estimated wait (RoutingService.waiting) */
  waiting(): Promise<
    Array<{ conversationId: string; queueId: string; position: number; estimatedWaitMs: number | null }>
  >
  callbacks: Pick<CallbacksService, 'offer'>
}

/** a callback the caller took becomes due this long after (they have hung up by then) */
const CALLBACK_AFTER_CALL_MS = 60_000
/** how long one read of every waiting conversation's standing serves all calls' announcements */
const STANDING_TTL_MS = 1000

/** The caller takes the offer themselves: the callback is booked on their behalf by the voice channel. */
const CALLER: { user: { id: string; role: 'admin' }; actor: Actor } = {
  user: { id: 'voice:caller', role: 'admin' },
  actor: { userId: null, email: 'voice (caller took the callback offer)' },
}

/**
 * Makes each queued call's QueueExperience (CallSessionDeps.queueExperience): the voice settings,
 * hold music (voice.holdMusicFile or the built-in), routing's standing (one read a second shared by
 * every call) and callbacks.offer with the caller's number, in voice mode, keeping their queuedAt.
 */
export function createQueueExperiences(options: QueueExperiencesOptions): (call: QueuedCallInput) => QueueExperience {
  const logger = options.logger.child({ module: 'voice-queue' })
  let read: { at: number; standings: ReturnType<QueueExperiencesOptions['waiting']> } | undefined
  const deps: QueueExperienceDeps = {
    settings: {
      announceEveryMs: options.settings.queueAnnounceSeconds * 1000,
      callbackOfferAfterMs: options.settings.callbackOfferAfterSeconds * 1000,
      callbackOfferEvery: options.settings.callbackOfferEvery,
    },
    now: () => options.clock.now().getTime(),
    async standing(conversationId) {
      if (!read || performance.now() - read.at > STANDING_TTL_MS) {
        read = { at: performance.now(), standings: options.waiting() }
        read.standings.catch(() => (read = undefined))
      }
      const standing = (await read.standings).find((w) => w.conversationId === conversationId)
      return standing
        ? { queueId: standing.queueId, position: standing.position, estimatedWaitMs: standing.estimatedWaitMs }
        : null
    },
    async offerCallback(conversationId, number) {
      // due a moment after this call ended: the conversation, back in line at its old place, is then the callback's
      // alone (not this call's, which is still saying goodbye)
      const windowStart = new Date(options.clock.now().getTime() + CALLBACK_AFTER_CALL_MS).toISOString()
      await options.callbacks.offer(CALLER.user, CALLER.actor, conversationId, {
        phone: number,
        mode: 'voice',
        windowStart,
      })
      read = undefined
    },
    music: () => holdMusic({ dataDir: options.dataDir, file: options.settings.holdMusicFile, logger }),
    logger,
  }
  return ({ from, ...call }) => new QueueExperience({ ...call, callerNumber: callbackNumber(from) }, deps)

  function callbackNumber(from: string): string | null {
    try {
      return normalizePhone(from, options.phoneRegion)
    } catch {
      return null
    }
  }
}
