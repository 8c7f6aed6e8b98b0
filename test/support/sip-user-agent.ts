import { Registerer, SessionState, UserAgent, type Invitation } from 'sip.js'
import { WebSocket } from 'ws'
import { PlainRtpHandler } from './sip-rtp-handler.js'

// sip.js's transport does `new WebSocket(url, 'sip')`; Node 20 has no WebSocket of its own
;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket

export interface TestCall {
  invitation: Invitation
  /** the SDP offer as it arrived (after Kamailio and rtpengine) */
  offer: string
  handler: PlainRtpHandler | undefined
  states: SessionState[]
  /** resolves when the call ends (BYE, CANCEL or rejection) */
  ended: Promise<void>
}

export interface TestUserAgent {
  ua: UserAgent
  /** resolves 200 when registered, or the status of the final rejection (401, 403…) */
  register(): Promise<number>
  /** the next incoming call */
  nextCall(timeoutMs?: number): Promise<TestCall>
  calls: TestCall[]
  stop(): Promise<void>
}

/**
 * A sip.js user agent in Node over WebSocket, as Switchboard's own will be: plain RTP (the
 * `sb-media=rtp` contact parameter tells the edge), digest credentials from the edge.
 * `answer` accepts every call, sends media once it is established and may hang up itself;
 * `reject` refuses every call with that status.
 */
export async function startTestUserAgent(options: {
  webSocketUrl: string
  user: string
  domain: string
  username: string
  password: string
  /** answer (sending `packets` of RTP, hanging up after `hangUpAfterMs` if given), or refuse with a status */
  mode: { answer: true; packets?: number; hangUpAfterMs?: number } | { reject: number }
}): Promise<TestUserAgent> {
  const calls: TestCall[] = []
  const waiting: Array<(call: TestCall) => void> = []
  const handlers: PlainRtpHandler[] = []
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${options.user}@${options.domain}`),
    transportOptions: { server: options.webSocketUrl, connectionTimeout: 5 },
    authorizationUsername: options.username,
    authorizationPassword: options.password,
    contactParams: { transport: 'ws', 'sb-media': 'rtp' },
    logBuiltinEnabled: false,
    logLevel: 'error',
    sessionDescriptionHandlerFactory: PlainRtpHandler.factory((h) => handlers.push(h)),
    delegate: {
      onInvite(invitation) {
        const states: SessionState[] = []
        let resolveEnded!: () => void
        const ended = new Promise<void>((resolve) => (resolveEnded = resolve))
        const call: TestCall = { invitation, offer: invitation.body ?? '', handler: undefined, states, ended }
        invitation.stateChange.addListener((state) => {
          states.push(state)
          const handler = invitation.sessionDescriptionHandler as PlainRtpHandler | undefined
          call.handler ??= handler
          if (state === SessionState.Established && 'answer' in options.mode) {
            handler?.startMedia(options.mode.packets)
            const { hangUpAfterMs } = options.mode
            if (hangUpAfterMs !== undefined)
              setTimeout(() => void invitation.bye().catch(() => undefined), hangUpAfterMs)
          }
          if (state === SessionState.Terminated) resolveEnded()
        })
        calls.push(call)
        waiting.shift()?.(call)
        if ('reject' in options.mode) void invitation.reject({ statusCode: options.mode.reject })
        else void invitation.accept()
      },
    },
  })
  await ua.start()
  const registerer = new Registerer(ua, { expires: 300 })

  return {
    ua,
    calls,
    register: () =>
      new Promise<number>((resolve) => {
        void registerer.register({
          requestDelegate: {
            onAccept: () => resolve(200),
            onReject: (response) => resolve(response.message.statusCode ?? 0),
          },
        })
      }),
    nextCall(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no call reached ${options.user} in ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiting.push((call) => {
          clearTimeout(timer)
          resolve(call)
        })
      })
    },
    /** Unregisters and stops, giving up after 3 s (a test that failed may leave a call hanging). */
    async stop() {
      for (const handler of handlers) handler.close()
      const bounded = (work: Promise<unknown>) =>
        Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))])
      await bounded(registerer.dispose())
      await bounded(ua.stop())
    },
  }
}
