import type { RtpMedia } from './media.js'

/** frames kept for the other leg at most (100 ms): older ones are dropped so the delay stays short */
const MAX_QUEUED = 5
/** frames gathered before the first is sent on (40 ms): absorbs the jitter of arrival */
const PREFILL = 2

/**
 * A small jitter queue between two legs: audio payloads received on one leg wait here until the
 * pacer takes one for the other leg's next frame. It starts after PREFILL frames, and when it
 * runs dry (the other side stopped sending) it fills up again before giving audio.
 */
export class JitterQueue {
  private readonly frames: Buffer[] = []
  private primed = false
  /** payloads dropped because the queue was full */
  dropped = 0

  push(payload: Buffer): void {
    // a copy: the socket's buffer is not ours to keep
    this.frames.push(Buffer.from(payload))
    while (this.frames.length > MAX_QUEUED) {
      this.frames.shift()
      this.dropped += 1
    }
    if (this.frames.length >= PREFILL) this.primed = true
  }

  take(): Buffer | undefined {
    if (!this.primed) return undefined
    const frame = this.frames.shift()
    if (!frame) this.primed = false
    return frame
  }

  clear(): void {
    this.frames.length = 0
    this.primed = false
  }
}

/**
 * Two call legs joined: what one leg receives is sent on the other in place of silence (prompts
 * or hold audio played on a leg still take precedence there). While held, nothing crosses in
 * either direction. `detach` undoes it (the legs go back to silence); each leg takes part in one
 * bridge at a time.
 */
export class Bridge {
  private readonly toA = new JitterQueue()
  private readonly toB = new JitterQueue()
  private readonly stops: Array<() => void> = []
  private attached = true
  held = false

  constructor(
    readonly a: RtpMedia,
    readonly b: RtpMedia,
  ) {
    this.stops.push(
      a.onAudio((payload) => {
        if (!this.held) this.toB.push(payload)
      }),
      b.onAudio((payload) => {
        if (!this.held) this.toA.push(payload)
      }),
    )
    a.setSource(() => (this.held ? undefined : this.toA.take()))
    b.setSource(() => (this.held ? undefined : this.toB.take()))
  }

  get isAttached(): boolean {
    return this.attached
  }

  /** Holds (nothing crosses) or resumes. */
  hold(held: boolean): void {
    this.held = held
    this.toA.clear()
    this.toB.clear()
  }

  detach(): void {
    if (!this.attached) return
    this.attached = false
    for (const stop of this.stops.splice(0)) stop()
    this.a.setSource(undefined)
    this.b.setSource(undefined)
    this.toA.clear()
    this.toB.clear()
  }
}
