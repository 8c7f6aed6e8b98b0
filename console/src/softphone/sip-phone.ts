import { Registerer, RegistererState, SessionState, UserAgent, type Invitation, type Web } from 'sip.js'

/**
 * The agent's SIP phone in the browser: one sip.js UserAgent over the edge's WebSocket (Kamailio),
 * registered with the time-limited credentials the core issues, WebRTC media (rtpengine bridges it
 * to the caller's plain RTP). It knows SIP only; what a call means (conversation, transfer, hold)
 * is the core's REST API, used by the softphone store.
 */
export type Registration = 'connecting' | 'registered' | 'unregistered' | 'failed'

export interface PhoneCredentials {
  webSocketUrl: string
  uri: string
  username: string
  password: string
}

/** What the phone tells its owner. */
export interface PhoneEvents {
  registration(state: Registration, reason?: string): void
  /** an INVITE arrived: ringing */
  incoming(call: IncomingCall): void
  /** the call is up: the remote audio stream is there */
  established(call: IncomingCall): void
  /** the call ended (BYE either way, CANCEL, rejected) */
  ended(call: IncomingCall, reason: 'remote' | 'local' | 'cancelled' | 'failed'): void
}

export interface IncomingCall {
  id: string
  /** X-Switchboard-Conversation */
  conversationId: string | null
  /** X-Switchboard-Caller: the caller's number, masked by the core */
  caller: string
  invitation: Invitation
  /** set when this side hung up or declined */
  endedLocally?: boolean
}

const AUDIO_ONLY = { constraints: { audio: true, video: false }, iceGatheringTimeout: 3000 }

export class SipPhone {
  private ua: UserAgent | null = null
  private registerer: Registerer | null = null
  private calls = new Map<string, IncomingCall>()
  private stopped = false

  constructor(
    private readonly events: PhoneEvents,
    private readonly audio: HTMLAudioElement,
  ) {}

  async start(credentials: PhoneCredentials): Promise<void> {
    this.stopped = false
    const uri = UserAgent.makeURI(credentials.uri)
    if (!uri) throw new Error(`not a SIP address: ${credentials.uri}`)
    this.events.registration('connecting')
    const ua = new UserAgent({
      uri,
      transportOptions: { server: credentials.webSocketUrl, connectionTimeout: 5, keepAliveInterval: 25 },
      authorizationUsername: credentials.username,
      authorizationPassword: credentials.password,
      userAgentString: 'Switchboard softphone',
      displayName: '',
      reconnectionAttempts: 1_000_000,
      reconnectionDelay: 3,
      logBuiltinEnabled: false,
      logLevel: 'error',
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: [] },
        iceGatheringTimeout: 3000,
      },
      delegate: {
        onInvite: (invitation) => this.onInvite(invitation),
        onConnect: () => {
          this.events.registration('connecting')
          void this.registerer?.register().catch(() => undefined)
        },
        onDisconnect: (error) => {
          if (!this.stopped) this.events.registration('failed', error?.message ?? 'disconnected')
        },
      },
    })
    this.ua = ua
    const registerer = new Registerer(ua, { expires: 300 })
    this.registerer = registerer
    registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) this.events.registration('registered')
      else if (state === RegistererState.Unregistered && !this.stopped) this.events.registration('unregistered')
    })
    await ua.start()
    await registerer.register({
      requestDelegate: {
        onReject: (response) =>
          this.events.registration(
            'failed',
            `${response.message.statusCode} ${response.message.reasonPhrase ?? ''}`.trim(),
          ),
      },
    })
  }

  /** New credentials before the old expire: used by the next REGISTER refresh and re-challenges. */
  renew(credentials: Pick<PhoneCredentials, 'username' | 'password'>): void {
    if (!this.ua) return
    this.ua.configuration.authorizationUsername = credentials.username
    this.ua.configuration.authorizationPassword = credentials.password
    void this.registerer?.register().catch(() => undefined)
  }

  /** Reconnect now (the agent pressed "reconnect", or the credentials changed address). */
  async reconnect(): Promise<void> {
    if (!this.ua) return
    this.events.registration('connecting')
    await this.ua.reconnect().catch(() => undefined)
    await this.registerer?.register().catch(() => undefined)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const call of this.calls.values()) this.end(call)
    this.calls.clear()
    await this.registerer?.unregister().catch(() => undefined)
    await this.ua?.stop().catch(() => undefined)
    this.ua = null
    this.registerer = null
  }

  private onInvite(invitation: Invitation): void {
    const request = invitation.request
    // one call at a time: a second one is told we are busy (the core routes it elsewhere)
    if (this.calls.size > 0) {
      void invitation.reject({ statusCode: 486 }).catch(() => undefined)
      return
    }
    const call: IncomingCall = {
      id: request.callId,
      conversationId: request.getHeader('X-Switchboard-Conversation') ?? null,
      caller: request.getHeader('X-Switchboard-Caller') ?? request.from.uri.user ?? '',
      invitation,
    }
    this.calls.set(call.id, call)
    let established = false
    invitation.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        established = true
        this.attachAudio(invitation)
        this.events.established(call)
      } else if (state === SessionState.Terminated) {
        this.calls.delete(call.id)
        this.audio.srcObject = null
        this.events.ended(call, established ? (call.endedLocally ? 'local' : 'remote') : 'cancelled')
      }
    })
    this.events.incoming(call)
  }

  /** Answers with the microphone; throws the getUserMedia error when it cannot be used. */
  async answer(call: IncomingCall): Promise<void> {
    await call.invitation.accept({ sessionDescriptionHandlerOptions: AUDIO_ONLY })
  }

  decline(call: IncomingCall): void {
    call.endedLocally = true
    void call.invitation.reject({ statusCode: 486 }).catch(() => undefined)
  }

  /** BYE (or a rejection while it still rings) */
  end(call: IncomingCall): void {
    call.endedLocally = true
    const state = call.invitation.state
    if (state === SessionState.Established) void call.invitation.bye().catch(() => undefined)
    else if (state === SessionState.Initial || state === SessionState.Establishing)
      void call.invitation.reject().catch(() => undefined)
  }

  /** Mute = the microphone track stops sending (the call stays up). */
  mute(call: IncomingCall, muted: boolean): void {
    const sdh = call.invitation.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined
    sdh?.enableSenderTracks(!muted)
  }

  /** RFC 4733 in the media (rtpengine passes it on); the store prefers the core's DTMF route. */
  sendDigitsInMedia(call: IncomingCall, digits: string): boolean {
    const sdh = call.invitation.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined
    return sdh?.sendDtmf(digits) ?? false
  }

  private attachAudio(invitation: Invitation): void {
    const sdh = invitation.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined
    if (!sdh) return
    this.audio.srcObject = sdh.remoteMediaStream
    void this.audio.play().catch(() => undefined)
  }
}
