import { createSocket, type Socket } from 'node:dgram'
import {
  Inviter,
  Registerer,
  SessionState,
  UserAgent,
  type Invitation,
  type Session,
  type SessionDescriptionHandler,
} from 'sip.js'
import { WebSocket } from 'ws'
import { createDtmfDecoder, parseRtpHeader } from '../../core/src/voice/calls/dtmf.js'
import { parseSdpAudio } from './sip-rtp-handler.js'

// sip.js's transport does `new WebSocket(url, 'sip')`; Node 20 has no WebSocket of its own
;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket

/**
 * Plain RTP for a test phone: it talks all the time — 20 ms PCMU frames whose every byte is
 * `voice` (not silence, and telling who spoke: the caller, one agent or another), while `talking`
 * — and keeps what it hears: audio frames by their first byte, and RFC 4733 keys decoded.
 */
export class TalkingRtpHandler implements SessionDescriptionHandler {
  readonly socket: Socket
  private readonly bound: Promise<number>
  remote: { address: string; port: number } | undefined
  talking = true
  sent = 0
  /** audio frames heard, with when (Date.now()) and their first byte */
  readonly heard: Array<{ at: number; byte: number; silent: boolean }> = []
  readonly keys: string[] = []
  dtmfPackets = 0
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(readonly voice: number) {
    this.socket = createSocket('udp4')
    const decode = createDtmfDecoder((key) => this.keys.push(key))
    this.socket.on('message', (packet) => {
      const header = parseRtpHeader(packet)
      if (!header) return
      const payload = packet.subarray(header.payloadOffset)
      if (header.payloadType === 101) {
        this.dtmfPackets += 1
        decode(header, payload)
      } else if (header.payloadType === 0) {
        this.heard.push({
          at: Date.now(),
          byte: payload[0] ?? 0xff,
          silent: payload.every((b) => b === 0xff || b === 0x7f),
        })
      }
    })
    this.socket.on('error', () => undefined)
    this.bound = new Promise((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve(this.socket.address().port)))
  }

  /** frames heard whose bytes are `voice` (since index `from`) */
  heardFrom(voice: number, from = 0): number {
    return this.heard.slice(from).filter((h) => h.byte === voice && !h.silent).length
  }

  async getDescription() {
    const port = await this.bound
    const sdp = [
      'v=0',
      `o=test-phone ${port} 1 IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=ptime:20',
      'a=sendrecv',
      '',
    ].join('\r\n')
    return { body: sdp, contentType: 'application/sdp' }
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp'
  }

  async setDescription(sdp: string): Promise<void> {
    const audio = parseSdpAudio(sdp)
    if (audio) this.remote = { address: audio.address, port: audio.port }
  }

  sendDtmf(): boolean {
    return false
  }

  startMedia(): void {
    if (!this.remote || this.timer || this.closed) return
    const { address, port } = this.remote
    const ssrc = Math.floor(Math.random() * 0xffffffff)
    let sequence = 0
    this.timer = setInterval(() => {
      if (this.closed) return
      const packet = Buffer.alloc(12 + 160, this.talking ? this.voice : 0xff)
      packet[0] = 0x80
      packet[1] = sequence === 0 ? 0x80 : 0x00
      packet.writeUInt16BE(sequence & 0xffff, 2)
      packet.writeUInt32BE((sequence * 160) >>> 0, 4)
      packet.writeUInt32BE(ssrc >>> 0, 8)
      this.socket.send(packet, port, address)
      sequence += 1
      this.sent += 1
    }, 20)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    this.socket.close()
  }
}

export interface PhoneCall {
  session: Session
  /** the INVITE's headers (an incoming call) */
  header(name: string): string | undefined
  handler(): TalkingRtpHandler | undefined
  states: SessionState[]
  established: Promise<void>
  ended: Promise<void>
  isEnded(): boolean
  /** the final status of an outgoing call that was refused */
  rejectedWith: number | undefined
  answer(): Promise<void>
  bye(): Promise<void>
}

export interface TestPhone {
  ua: UserAgent
  register(): Promise<number>
  /** an outgoing call to sip:<user>@<domain> */
  call(user: string): PhoneCall
  /** the next incoming call */
  nextCall(timeoutMs?: number): Promise<PhoneCall>
  calls: PhoneCall[]
  stop(): Promise<void>
}

/**
 * A sip.js phone in Node over WebSocket through the edge, with plain RTP (the `sb-media=rtp`
 * contact parameter): a caller (call()) or an agent's softphone (register(), incoming calls
 * answered at once, after `answerAfterMs`, or left ringing with `answer: false`).
 */
export async function startTestPhone(options: {
  webSocketUrl: string
  user: string
  domain: string
  username?: string
  password?: string
  /** the byte its audio frames are made of */
  voice: number
  answer?: boolean
  answerAfterMs?: number
}): Promise<TestPhone> {
  const calls: PhoneCall[] = []
  const waiting: Array<(call: PhoneCall) => void> = []
  /** incoming calls no nextCall() took yet */
  const unclaimed: PhoneCall[] = []
  const handlers: TalkingRtpHandler[] = []

  function track(session: Session, incoming: Invitation | undefined): PhoneCall {
    const states: SessionState[] = []
    let resolveEnded!: () => void
    let resolveEstablished!: () => void
    const ended = new Promise<void>((resolve) => (resolveEnded = resolve))
    const established = new Promise<void>((resolve) => (resolveEstablished = resolve))
    let done = false
    const call: PhoneCall = {
      session,
      header: (name) => incoming?.request.getHeader(name),
      handler: () => session.sessionDescriptionHandler as TalkingRtpHandler | undefined,
      states,
      established,
      ended,
      isEnded: () => done,
      rejectedWith: undefined,
      answer: async () => {
        if (incoming && incoming.state === SessionState.Initial) await incoming.accept()
      },
      bye: async () => {
        if (session.state === SessionState.Established) await session.bye()
      },
    }
    session.stateChange.addListener((state) => {
      states.push(state)
      if (state === SessionState.Established) {
        call.handler()?.startMedia()
        resolveEstablished()
      }
      if (state === SessionState.Terminated) {
        done = true
        call.handler()?.close()
        resolveEnded()
      }
    })
    calls.push(call)
    return call
  }

  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${options.user}@${options.domain}`),
    transportOptions: { server: options.webSocketUrl, connectionTimeout: 5 },
    ...(options.username ? { authorizationUsername: options.username, authorizationPassword: options.password } : {}),
    contactParams: { transport: 'ws', 'sb-media': 'rtp' },
    logBuiltinEnabled: false,
    logLevel: 'error',
    sessionDescriptionHandlerFactory: () => {
      const handler = new TalkingRtpHandler(options.voice)
      handlers.push(handler)
      return handler
    },
    delegate: {
      onInvite(invitation) {
        const call = track(invitation, invitation)
        const taker = waiting.shift()
        if (taker) taker(call)
        else unclaimed.push(call)
        if (options.answer === false) {
          void invitation.progress().catch(() => undefined)
          return
        }
        const accept = () => void invitation.accept().catch(() => undefined)
        if (options.answerAfterMs) {
          void invitation.progress().catch(() => undefined)
          setTimeout(accept, options.answerAfterMs)
        } else accept()
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
    call(user) {
      const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${user}@${options.domain}`)!)
      const call = track(inviter, undefined)
      void inviter.invite({
        requestDelegate: {
          onReject: (response) => {
            call.rejectedWith = response.message.statusCode
          },
        },
      })
      return call
    },
    nextCall(timeoutMs = 15_000) {
      const ready = unclaimed.shift()
      if (ready) return Promise.resolve(ready)
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
    async stop() {
      for (const handler of handlers) handler.close()
      const bounded = (work: Promise<unknown>) =>
        Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))])
      await bounded(registerer.dispose())
      await bounded(ua.stop())
    },
  }
}
