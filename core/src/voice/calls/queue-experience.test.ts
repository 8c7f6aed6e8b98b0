import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PlayedPrompt } from './call-state.js'
import {
  callbackConfirmation,
  callbackOfferPrompt,
  offerDue,
  positionAnnouncement,
  QueueExperience,
  waitInWords,
  type QueueExperienceDeps,
  type QueueExperienceSettings,
  type QueueMedia,
  type QueueStanding,
} from './queue-experience.js'

const MIN = 60_000

describe('queue announcements: wording and rounding', () => {
  it('says the wait in words: under a minute, whole minutes to ten, fives to an hour, then more than an hour', () => {
    const en = (ms: number) => waitInWords(ms, 'en')
    const zh = (ms: number) => waitInWords(ms, 'zh-CN')
    expect([0, 20_000, 59_999].map(en)).toEqual(['less than a minute', 'less than a minute', 'less than a minute'])
    expect(en(60_000)).toBe('about 1 minute')
    expect(en(89_000)).toBe('about 1 minute')
    expect(en(150_000)).toBe('about 3 minutes')
    expect(en(9.4 * MIN)).toBe('about 9 minutes')
    expect(en(11 * MIN)).toBe('about 10 minutes')
    expect(en(13 * MIN)).toBe('about 15 minutes')
    expect(en(60 * MIN)).toBe('about 60 minutes')
    expect(en(63 * MIN)).toBe('more than an hour')
    expect(en(5 * 3600_000)).toBe('more than an hour')
    expect([30_000, 150_000, 13 * MIN, 90 * MIN].map(zh)).toEqual([
      '不到一分钟',
      '约 3 分钟',
      '约 15 分钟',
      '超过一小时',
    ])
  })

  it('says the position (Chinese counts the callers ahead) and the wait only when one is known', () => {
    expect(positionAnnouncement({ position: 3, estimatedWaitMs: 3 * MIN }, 'en')).toBe(
      'You are number 3 in line. The estimated wait is about 3 minutes.',
    )
    expect(positionAnnouncement({ position: 3, estimatedWaitMs: 3 * MIN }, 'zh-CN')).toBe(
      '您前面还有 2 位客户，预计等待约 3 分钟。',
    )
    expect(positionAnnouncement({ position: 2, estimatedWaitMs: null }, null)).toBe('You are number 2 in line.')
    expect(positionAnnouncement({ position: 2, estimatedWaitMs: null }, 'zh')).toBe('您前面还有 1 位客户。')
    expect(positionAnnouncement({ position: 1, estimatedWaitMs: 0 }, 'en-GB')).toBe(
      'You are next in line. The estimated wait is less than a minute.',
    )
    expect(positionAnnouncement({ position: 1, estimatedWaitMs: 0 }, 'zh-CN')).toBe('您是下一位，预计等待不到一分钟。')
    expect(positionAnnouncement({ position: 1, estimatedWaitMs: null }, 'zh-CN')).toBe('您是下一位。')
  })

  it('offers the callback and confirms it with the last four digits, read one by one', () => {
    expect(callbackOfferPrompt('en')).toBe('Press 1 to be called back without losing your place in line.')
    expect(callbackOfferPrompt('zh-CN')).toBe('按1键预约回电，保留您的排队位置。')
    expect(callbackConfirmation('+8613812345678', 'en')).toContain('the number ending in 5 6 7 8')
    expect(callbackConfirmation('+8613812345678', 'en')).toMatch(/Goodbye\.$/)
    expect(callbackConfirmation('+8613812345678', 'zh-CN')).toContain('尾号 5 6 7 8')
    expect(callbackConfirmation('+8613812345678', 'zh-CN')).toMatch(/再见。$/)
  })
})

const settings: QueueExperienceSettings = {
  announceEveryMs: 10_000,
  callbackOfferAfterMs: 25_000,
  callbackOfferEvery: 2,
}

describe('queue announcements: when the callback is offered', () => {
  const base = { settings, canCallBack: true, waitedMs: 0, estimatedWaitMs: null, announcement: 1, lastOfferAt: null }

  it('once the caller waited long enough, or the estimate is longer than the threshold', () => {
    expect(offerDue(base)).toBe(false)
    expect(offerDue({ ...base, waitedMs: 25_000 })).toBe(true)
    expect(offerDue({ ...base, estimatedWaitMs: 25_000 })).toBe(false)
    expect(offerDue({ ...base, estimatedWaitMs: 25_001 })).toBe(true)
  })

  it('then again every N announcements; never without a number to call, with the offer off, or without announcements', () => {
    const due = { ...base, waitedMs: 60_000 }
    expect(offerDue({ ...due, announcement: 4, lastOfferAt: 3 })).toBe(false)
    expect(offerDue({ ...due, announcement: 5, lastOfferAt: 3 })).toBe(true)
    expect(
      offerDue({ ...due, settings: { ...settings, callbackOfferEvery: 1 }, announcement: 4, lastOfferAt: 3 }),
    ).toBe(true)
    expect(offerDue({ ...due, canCallBack: false })).toBe(false)
    expect(offerDue({ ...due, settings: { ...settings, callbackOfferAfterMs: 0 } })).toBe(false)
    expect(offerDue({ ...due, settings: { ...settings, announceEveryMs: 0 } })).toBe(false)
  })
})

/** Plays µ-law in (fake) real time: 8 bytes a millisecond, one thing at a time, in order. */
class PacedMedia implements QueueMedia {
  readonly stats = { promptSent: 0 }
  readonly log: Array<{ bytes: number; at: number; finished?: boolean }> = []
  private current: { audio: Buffer; done: (finished: boolean) => void; timer: NodeJS.Timeout; at: number } | undefined
  private readonly queue: Array<{ audio: Buffer; done: (finished: boolean) => void }> = []
  /** ms nothing played since start */
  idleMs = 0
  private idleSince: number | undefined = Date.now()

  play(audio: Buffer): Promise<boolean> {
    return new Promise((done) => {
      this.queue.push({ audio, done })
      if (!this.current) this.next()
    })
  }

  stopPlayback(): void {
    const current = this.current
    for (const queued of this.queue.splice(0)) queued.done(false)
    if (!current) return
    clearTimeout(current.timer)
    this.stats.promptSent += Math.floor((Date.now() - current.at) / 20)
    this.log.at(-1)!.finished = false
    this.current = undefined
    this.idleSince = Date.now()
    current.done(false)
  }

  get playing(): boolean {
    return this.current !== undefined
  }

  private next(): void {
    const item = this.queue.shift()
    if (!item) {
      this.idleSince = Date.now()
      return
    }
    if (this.idleSince !== undefined) this.idleMs += Date.now() - this.idleSince
    this.idleSince = undefined
    const at = Date.now()
    this.log.push({ bytes: item.audio.length, at })
    const timer = setTimeout(() => {
      this.stats.promptSent += item.audio.length / 160
      this.log.at(-1)!.finished = true
      this.current = undefined
      item.done(true)
      this.next()
    }, item.audio.length / 8)
    this.current = { ...item, timer, at }
  }
}

const MUSIC = Buffer.alloc(8000 * 3, 0x55) // 3 s

function setUp(options: { settings?: QueueExperienceSettings; callerNumber?: string | null } = {}) {
  const media = new PacedMedia()
  const prompts: PlayedPrompt[] = []
  let standing: QueueStanding | null = { queueId: 'q1', position: 3, estimatedWaitMs: null }
  const offers: Array<{ conversationId: string; number: string }> = []
  let offerFails = false
  let hungUp = 0
  const deps: QueueExperienceDeps = {
    settings: options.settings ?? settings,
    now: () => Date.now(),
    standing: async () => standing,
    async offerCallback(conversationId, number) {
      if (offerFails) throw new Error('no longer waiting')
      offers.push({ conversationId, number })
    },
    music: async () => MUSIC,
    logger: { warn: () => undefined, error: () => undefined, info: () => undefined },
  }
  const experience = new QueueExperience(
    {
      callId: 'call-1',
      conversationId: 'conv-1',
      callerNumber: options.callerNumber === undefined ? '+8613812345678' : options.callerNumber,
      language: () => 'en',
      media,
      // 100 ms of speech per 10 characters
      speech: async (text) => Buffer.alloc(Math.ceil(text.length / 10) * 800, 0x11),
      prompts,
      hangUp: async () => {
        hungUp += 1
        experience.stop()
      },
    },
    deps,
  )
  return {
    experience,
    media,
    prompts,
    offers,
    texts: () => prompts.map((p) => p.text),
    set standing(value: QueueStanding | null) {
      standing = value
    },
    failOffers() {
      offerFails = true
    },
    hungUp: () => hungUp,
  }
}

describe('queue experience of a call: music, announcements and the offer over time', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('loops the music without a gap and announces every interval, the position read afresh each time', async () => {
    const call = setUp()
    call.experience.start()
    await vi.advanceTimersByTimeAsync(9_900)
    expect(call.texts()).toEqual([])
    expect(call.media.log.length).toBe(4) // 3 s of music, the fourth loop playing
    await vi.advanceTimersByTimeAsync(200)
    expect(call.texts()).toEqual(['You are number 3 in line.'])
    // the one ahead leaves: the next announcement, an interval after this one ended, says so; its
    // estimate is longer than the offer threshold (25 s), so the callback offer follows it
    call.standing = { queueId: 'q1', position: 2, estimatedWaitMs: 2 * MIN }
    await vi.advanceTimersByTimeAsync(11_500)
    expect(call.texts()).toEqual([
      'You are number 3 in line.',
      'You are number 2 in line. The estimated wait is about 2 minutes.',
      'Press 1 to be called back without losing your place in line.',
    ])
    // overflow to another queue: its numbers; no offer this time (every second announcement)
    call.standing = { queueId: 'standby', position: 1, estimatedWaitMs: 20_000 }
    await vi.advanceTimersByTimeAsync(11_000)
    expect(call.texts().slice(3)).toEqual(['You are next in line. The estimated wait is less than a minute.'])
    expect(call.prompts.every((p) => p.finished && p.packets > 0)).toBe(true)
    // sound all the time: music, announcement, music…
    expect(call.media.idleMs).toBe(0)
    expect(call.media.playing).toBe(true)

    call.experience.stop()
    expect(call.media.playing).toBe(false)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(call.texts()).toHaveLength(4)
    expect(call.media.playing).toBe(false)
  })

  it('offers the callback every N announcements once due; nothing is announced while the call is not waiting', async () => {
    const call = setUp({ settings: { ...settings, callbackOfferAfterMs: 1000 } })
    call.experience.start()
    const offersAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms)
      return call.texts().filter((t) => t?.startsWith('Press 1')).length
    }
    expect(await offersAfter(10_500)).toBe(1) // the first announcement (10 s) and the offer after it
    expect(await offersAfter(15_000)).toBe(1) // the second (21 s): not yet again
    expect(await offersAfter(7_000)).toBe(2) // the third (31.3 s)
    const said = call.texts().length
    call.standing = null // an agent's phone rings: no position to give
    await vi.advanceTimersByTimeAsync(35_000)
    expect(call.texts()).toHaveLength(said)
    expect(call.media.playing).toBe(true) // the music goes on
  })

  it('ignores keys until the offer; key 1 then books the callback, confirms it and hangs up', async () => {
    const call = setUp({ settings: { ...settings, callbackOfferAfterMs: 15_000 } })
    call.experience.start()
    await vi.advanceTimersByTimeAsync(10_100)
    call.experience.key('1') // not offered yet
    call.experience.key('5')
    await vi.advanceTimersByTimeAsync(100)
    expect(call.offers).toEqual([])
    await vi.advanceTimersByTimeAsync(10_500) // the second announcement, with the offer
    expect(call.texts().at(-1)).toBe('Press 1 to be called back without losing your place in line.')
    await vi.advanceTimersByTimeAsync(2000) // music again
    call.experience.key('1')
    await vi.advanceTimersByTimeAsync(100)
    expect(call.offers).toEqual([{ conversationId: 'conv-1', number: '+8613812345678' }])
    await vi.advanceTimersByTimeAsync(10_000)
    expect(call.texts().at(-1)).toBe(
      'Thank you. We will call you back at the number ending in 5 6 7 8, and you keep your place in line. Goodbye.',
    )
    expect(call.prompts.at(-1)!.finished).toBe(true)
    expect(call.hungUp()).toBe(1)
    expect(call.experience.isStopped).toBe(true)
    expect(call.media.playing).toBe(false)
  })

  it('a callback that cannot be booked: the caller is told, stays in line with music and announcements', async () => {
    const call = setUp({ settings: { ...settings, callbackOfferAfterMs: 1000 } })
    call.failOffers()
    call.experience.start()
    await vi.advanceTimersByTimeAsync(11_000)
    call.experience.key('1')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(call.texts().at(-1)).toBe('Sorry, a callback cannot be booked right now. Please stay on the line.')
    expect(call.media.playing).toBe(true)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(call.texts().at(-1)).toBe('You are number 3 in line.')
    expect(call.hungUp()).toBe(0)
  })

  it('a caller without a number to call back is not offered one; 0 turns announcements off (music only)', async () => {
    const anonymous = setUp({ callerNumber: null, settings: { ...settings, callbackOfferAfterMs: 1000 } })
    anonymous.experience.start()
    await vi.advanceTimersByTimeAsync(45_000)
    expect(anonymous.texts().length).toBeGreaterThanOrEqual(3)
    expect(anonymous.texts().some((t) => t?.startsWith('Press 1'))).toBe(false)
    anonymous.experience.stop()

    const quiet = setUp({ settings: { ...settings, announceEveryMs: 0 } })
    quiet.experience.start()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(quiet.texts()).toEqual([])
    expect(quiet.media.log.length).toBe(41) // 40 played, the 41st begun
    expect(quiet.media.idleMs).toBe(0)
    quiet.experience.stop()
  })
})
