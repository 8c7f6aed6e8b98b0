import { FRAME_BYTES, type RtpMedia } from './media.js'

/** caller frames kept waiting for the next tick at most (200 ms): older ones are dropped */
const MAX_WAITING = 10
const SILENCE = 0xff

/**
 * What the call recorder needs from the rest of Switchboard (the recordings module binds it):
 * whether calls are recorded, the consent announcement, and where a recording goes.
 */
export interface CallRecordingHooks {
  /** voice.recording is `calls` */
  enabled(): boolean
  /** the consent announcement for the caller's language (a text to speak or a file), null when consent is off */
  consent(language: string | null): { text: string | null; file: string | null } | null
  /** a recording starts (consent played to its end at consentPlayedAt, null without consent) */
  start(input: {
    callId: string
    conversationId: string
    media: RtpMedia
    consentPlayedAt: Date | null
  }): ActiveRecording
}

/** A recording in progress; stop() when the call ends (seals the file, completes its entry). */
export interface ActiveRecording {
  readonly recordingId: string
  stop(): Promise<void>
}

/**
 * Records one call leg as two channels on 20 ms ticks: left what the caller sends (received on
 * the leg), right what the caller hears (what the leg sends: prompts, hold audio, the agent's
 * audio bridged from the agent's leg, silence). Every frame the leg sends is one tick; the
 * caller's frames wait in a short queue for the next tick (silence when none came), so both
 * channels stay aligned. Interleaved µ-law samples go to `sink` as they come.
 */
export class CallRecorder {
  private readonly waiting: Buffer[] = []
  private readonly stops: Array<() => void> = []
  private stopped = false
  /** ticks written (20 ms each) */
  frames = 0
  /** caller frames dropped because the queue was full (the caller sent faster than the leg's clock) */
  dropped = 0

  constructor(
    media: RtpMedia,
    private readonly sink: (stereo: Buffer) => void,
  ) {
    this.stops.push(
      media.onAudio((payload) => {
        if (this.stopped) return
        this.waiting.push(Buffer.from(payload))
        while (this.waiting.length > MAX_WAITING) {
          this.waiting.shift()
          this.dropped += 1
        }
      }),
      media.onSent((payload) => this.tick(payload)),
    )
  }

  get durationMs(): number {
    return this.frames * 20
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    for (const stop of this.stops.splice(0)) stop()
    this.waiting.length = 0
  }

  private tick(sent: Buffer): void {
    if (this.stopped) return
    const caller = this.waiting.shift()
    const out = Buffer.alloc(FRAME_BYTES * 2, SILENCE)
    for (let i = 0; i < FRAME_BYTES; i++) {
      if (caller && i < caller.length) out[2 * i] = caller[i]!
      if (i < sent.length) out[2 * i + 1] = sent[i]!
    }
    this.frames += 1
    this.sink(out)
  }
}
