import { Inviter, Registerer, RegistererState, UserAgent, type Invitation } from 'sip.js'
import { WebSocket } from 'ws'
import type { Logger } from '../../logger.js'
import { PLAIN_RTP_CONTACT_PARAM } from '../edge/kamailio-config.js'
import { RtpSessionHandler } from './rtp-session-handler.js'

// sip.js's WebSocket transport does `new WebSocket(url, 'sip')`; Node 20 has no WebSocket of its own
;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket

/** An incoming call as the user agent hands it over. */
export interface IncomingCall {
  invitation: Invitation
  callId: string
  /** the caller: P-Asserted-Identity's user part when a trunk gives one, else From's */
  from: string
  /** the number called: the user part of To (the trunk's request URI before the edge's look-up) */
  to: string
}

export interface CallAgents {
  /** the numbers registered (sip:<number>@<domain>) */
  numbers: string[]
  /**
   * An outgoing call from the first number's user agent (the edge authenticates its From) to
   * sip:<user>@<domain>, with plain RTP on an RtpSessionHandler of its own; not sent yet (invite()).
   */
  inviter(user: string, extraHeaders: string[]): Inviter
  stop(): Promise<void>
}

export interface StartCallAgentsOptions {
  webSocketUrl: string
  domain: string
  numbers: string[]
  /** the address RTP is sent from and received on (the edge's listen address) */
  mediaAddress: string
  /** time-limited credentials for a number (the edge issues them) */
  credentials(user: string): { username: string; password: string }
  onCall(call: IncomingCall): void
  logger: Logger
  /** how long the first registration may take (default 10 s) */
  registerTimeoutMs?: number
}

/** How often the credentials are renewed; they are issued for four times as long. */
export const CREDENTIALS_RENEW_MS = 6 * 3600_000

/**
 * Switchboard's own SIP user agent: one sip.js UserAgent per voice number, over WebSocket to the
 * edge (Kamailio), registered with time-limited credentials and the contact parameter that makes
 * the edge offer plain RTP. Every INVITE is handed to `onCall` with an RtpSessionHandler as its
 * session description handler. After a lost connection sip.js reconnects and the number is
 * registered again.
 */
export async function startCallAgents(options: StartCallAgentsOptions): Promise<CallAgents> {
  const logger = options.logger.child({ module: 'voice-agent' })
  const started: Array<{ ua: UserAgent; registerer: Registerer; renew: NodeJS.Timeout }> = []
  const stopAll = async () => {
    for (const { ua, registerer, renew } of started.splice(0)) {
      clearInterval(renew)
      await bounded(
        registerer.unregister().catch(() => undefined),
        3000,
      )
      await bounded(registerer.dispose(), 3000)
      await bounded(ua.stop(), 3000)
    }
  }
  try {
    for (const number of options.numbers) started.push(await startOne(number))
  } catch (error) {
    await stopAll()
    throw error
  }
  logger.info({ numbers: options.numbers }, 'voice numbers registered')
  return {
    numbers: options.numbers,
    inviter(user, extraHeaders) {
      const first = started[0]
      if (!first) throw new Error('the voice numbers are not registered')
      const target = UserAgent.makeURI(`sip:${user}@${options.domain}`)
      if (!target) throw new Error(`not a SIP user: ${user}`)
      return new Inviter(first.ua, target, { extraHeaders, earlyMedia: false })
    },
    stop: stopAll,
  }

  async function startOne(number: string) {
    const credentials = options.credentials(number)
    const ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:${number}@${options.domain}`),
      transportOptions: { server: options.webSocketUrl, connectionTimeout: 5 },
      authorizationUsername: credentials.username,
      authorizationPassword: credentials.password,
      contactParams: { transport: 'ws', [PLAIN_RTP_CONTACT_PARAM]: 'rtp' },
      userAgentString: 'Switchboard',
      reconnectionAttempts: 1_000_000,
      reconnectionDelay: 2,
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) =>
        logger[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'debug']({ category, number }, content),
      sessionDescriptionHandlerFactory: () => new RtpSessionHandler(options.mediaAddress),
      delegate: {
        onInvite(invitation) {
          const request = invitation.request
          options.onCall({
            invitation,
            callId: request.callId,
            from: callerOf(request.getHeader('P-Asserted-Identity'), request.from.uri.user, request.from.uri.host),
            // the request URI is our contact by now (the edge looked it up): To has the number called
            to: request.to.uri.user ?? number,
          })
        },
      },
    })
    const registerer = new Registerer(ua, { expires: 300 })
    // Kamailio checks the credentials' expiry against its own (real) clock, so they follow real time
    const renew = setInterval(() => {
      const fresh = options.credentials(number)
      ua.configuration.authorizationUsername = fresh.username
      ua.configuration.authorizationPassword = fresh.password
    }, CREDENTIALS_RENEW_MS)
    renew.unref()
    try {
      await ua.start()
      await registered(registerer, number, options.registerTimeoutMs ?? 10_000)
      // after a reconnection (the edge restarted) the number registers again
      ua.delegate!.onConnect = () => void registerer.register().catch(() => undefined)
    } catch (error) {
      clearInterval(renew)
      await bounded(ua.stop(), 3000)
      throw error
    }
    return { ua, registerer, renew }
  }
}

function registered(registerer: Registerer, number: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the voice number ${number} was not registered at the edge within ${timeoutMs} ms`)),
      timeoutMs,
    )
    registerer
      .register({
        requestDelegate: {
          onReject: (response) => {
            clearTimeout(timer)
            reject(
              new Error(
                `the edge refused to register the voice number ${number}: ${response.message.statusCode} ${response.message.reasonPhrase}`,
              ),
            )
          },
        },
      })
      .catch((error: unknown) => {
        clearTimeout(timer)
        reject(error as Error)
      })
    registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
}

/** The caller's number: the user part of P-Asserted-Identity (sip: or tel:), else From's user (or user@host). */
export function callerOf(assertedIdentity: string | undefined, fromUser: string | undefined, fromHost: string): string {
  const asserted = assertedIdentity && /(?:sips?|tel):([^@;>\s]+)/i.exec(assertedIdentity)?.[1]
  if (asserted) return decodeURIComponent(asserted)
  if (fromUser) return decodeURIComponent(fromUser)
  return fromHost
}

function bounded(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())])
}
