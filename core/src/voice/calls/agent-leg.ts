import { SessionState, type Inviter } from 'sip.js'
import type { Logger } from '../../logger.js'
import type { RtpMedia } from './media.js'
import type { RtpSessionHandler } from './rtp-session-handler.js'
import type { CallAgents } from './user-agent.js'

/** How ringing an agent ended. */
export type RingOutcome =
  | { answered: true }
  | {
      answered: false
      /** no-answer: rang until the ring timeout; busy 486/600; not-found 404/480 (no softphone registered); declined 603 */
      reason: 'no-answer' | 'busy' | 'not-found' | 'declined' | 'cancelled' | 'failed'
      status?: number
    }

/** The SIP user an agent's softphone registers as. */
export function agentSipUser(userId: string): string {
  return `agent-${userId}`
}

/** the X- headers of the INVITE to an agent (the softphone's screen pop) */
export const CONVERSATION_HEADER = 'X-Switchboard-Conversation'
export const CALLER_HEADER = 'X-Switchboard-Caller'
export const CONSULT_HEADER = 'X-Switchboard-Consult'

/**
 * One leg from Switchboard to an agent's softphone (sip:agent-<id>@domain): an INVITE from the
 * core's own user agent with plain RTP on a socket of its own (rtpengine converts to the
 * browser's WebRTC), rung until answered, refused or the ring timeout (then CANCEL). Once
 * answered its media runs; `ended` resolves when it is over (BYE either way).
 */
export class AgentLeg {
  readonly inviter: Inviter
  state: 'ringing' | 'answered' | 'ended' = 'ringing'
  /** set once answered */
  media: RtpMedia | undefined
  readonly outcome: Promise<RingOutcome>
  readonly ended: Promise<void>
  /** the leg was hung up by Switchboard (not by the agent) */
  closedByUs = false
  private timer: NodeJS.Timeout | undefined
  private settle!: (outcome: RingOutcome) => void
  private markEnded!: () => void
  private rejection: number | undefined
  private timedOut = false

  constructor(
    agents: CallAgents,
    readonly userId: string,
    headers: Record<string, string>,
    private readonly ringMs: number,
    private readonly logger: Logger,
    /** the SIP user called; default the agent's softphone (agent-<userId>), a number for a customer */
    sipUser: string = agentSipUser(userId),
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve))
    this.ended = new Promise((resolve) => (this.markEnded = resolve))
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, ' ')}`)
    this.inviter = agents.inviter(sipUser, extra)
    this.inviter.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        clearTimeout(this.timer)
        const handler = this.inviter.sessionDescriptionHandler as RtpSessionHandler | undefined
        if (!handler || this.closedByUs) {
          void this.hangUp()
          return
        }
        this.media = handler.media
        this.state = 'answered'
        handler.startMedia()
        this.settle({ answered: true })
      }
      if (state === SessionState.Terminated) {
        clearTimeout(this.timer)
        const wasRinging = this.state === 'ringing'
        this.state = 'ended'
        ;(this.inviter.sessionDescriptionHandler as RtpSessionHandler | undefined)?.close()
        // sip.js ends the session before it hands the rejection to the request delegate: read it after
        setImmediate(() => {
          if (wasRinging) this.settle(this.failure())
          this.markEnded()
        })
      }
    })
  }

  /** The call id of this leg's dialog. */
  get callId(): string {
    return this.inviter.request.callId
  }

  /** Sends the INVITE; the ring timeout starts. */
  ring(): Promise<RingOutcome> {
    this.timer = setTimeout(() => {
      if (this.state !== 'ringing') return
      this.timedOut = true
      void this.inviter.cancel().catch(() => undefined)
    }, this.ringMs)
    this.timer.unref()
    this.inviter
      .invite({
        requestDelegate: {
          onReject: (response) => {
            this.rejection = response.message.statusCode
          },
        },
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error, agentId: this.userId }, 'the INVITE to the agent was not sent')
        this.state = 'ended'
        clearTimeout(this.timer)
        this.settle({ answered: false, reason: 'failed' })
        this.markEnded()
      })
    return this.outcome
  }

  /** Ends the leg: CANCEL while it rings, BYE once answered. */
  async hangUp(): Promise<void> {
    if (this.state === 'ended') return
    this.closedByUs = true
    try {
      if (this.inviter.state === SessionState.Established) await this.inviter.bye()
      else await this.inviter.cancel()
    } catch (error) {
      this.logger.debug({ err: error, agentId: this.userId }, 'the agent leg was already ending')
    }
    // a transaction that never completes (the softphone vanished) must not keep the media open
    const closed = await Promise.race([
      this.ended.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref()),
    ])
    if (!closed) {
      clearTimeout(this.timer)
      this.state = 'ended'
      ;(this.inviter.sessionDescriptionHandler as RtpSessionHandler | undefined)?.close()
      this.settle({ answered: false, reason: 'cancelled' })
      this.markEnded()
    }
  }

  private failure(): RingOutcome {
    if (this.timedOut) return { answered: false, reason: 'no-answer' }
    if (this.closedByUs) return { answered: false, reason: 'cancelled' }
    const status = this.rejection
    if (status === 486 || status === 600) return { answered: false, reason: 'busy', status }
    if (status === 404 || status === 480) return { answered: false, reason: 'not-found', status }
    if (status === 603) return { answered: false, reason: 'declined', status }
    return { answered: false, reason: status === 408 ? 'no-answer' : 'failed', ...(status ? { status } : {}) }
  }
}
