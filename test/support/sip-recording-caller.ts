import { createSocket, type Socket } from 'node:dgram'
import { Inviter, SessionState, UserAgent, type SessionDescriptionHandler } from 'sip.js'
import { WebSocket } from 'ws'
import { parseRtpHeader } from '../../core/src/voice/calls/dtmf.js'
import { parseSdpAudio } from './sip-rtp-handler.js'

// sip.js's transport does `new WebSocket(url, 'sip')`; Node 20 has no WebSocket of its own
;(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket

/** A frame the caller sent: when (Date.now()), what kind, and its payload. */
export interface SentFrame {
  at: number
  kind: string
  payload: Buffer
}

/** An audio frame the caller received: when (Date.now()) and its payload. */
export interface HeardFrame {
  at: number
  payload: Buffer
  silent: boolean
}

export const isSilentFrame = (payload: Buffer) => payload.every((b) => b === 0xff || b === 0x7f)

/**
 * Plain RTP for a scripted caller: every 20 ms it sends the frame `next()` gives (payload and a
 * kind for the log), and it keeps every audio frame it hears with its arrival time, so a test
 * can tell exactly what arrived when and what was sent when.
 */
export class ScriptedRtpHandler implements SessionDescriptionHandler {
  readonly socket: Socket
  private readonly bound: Promise<number>
  remote: { address: string; port: number } | undefined
  readonly sent: SentFrame[] = []
  readonly heard: HeardFrame[] = []
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(private readonly next: (index: number) => { kind: string; payload: Buffer }) {
    this.socket = createSocket('udp4')
    this.socket.on('message', (packet) => {
      const header = parseRtpHeader(packet)
      if (!header || header.payloadType !== 0) return
      const payload = Buffer.from(packet.subarray(header.payloadOffset))
      this.heard.push({ at: Date.now(), payload, silent: isSilentFrame(payload) })
    })
    this.socket.on('error', () => undefined)
    this.bound = new Promise((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve(this.socket.address().port)))
  }

  async getDescription() {
    const port = await this.bound
    const sdp = [
      'v=0',
      `o=recording-caller ${port} 1 IN IP4 127.0.0.1`,
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
    const startedAt = performance.now()
    let sequence = 0
    // paced on the real clock: frames due are sent even when a timer fires late
    const send = () => {
      if (this.closed) return
      const due = Math.floor((performance.now() - startedAt) / 20) + 1
      while (sequence < due) {
        const frame = this.next(sequence)
        const packet = Buffer.alloc(12 + frame.payload.length)
        packet[0] = 0x80
        packet[1] = sequence === 0 ? 0x80 : 0x00
        packet.writeUInt16BE(sequence & 0xffff, 2)
        packet.writeUInt32BE((sequence * 160) >>> 0, 4)
        packet.writeUInt32BE(ssrc >>> 0, 8)
        frame.payload.copy(packet, 12)
        this.socket.send(packet, port, address)
        this.sent.push({ at: Date.now(), kind: frame.kind, payload: frame.payload })
        sequence += 1
      }
    }
    this.timer = setInterval(send, 10)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    this.socket.close()
  }
}

export interface RecordingCaller {
  handler(): ScriptedRtpHandler | undefined
  established: Promise<void>
  ended: Promise<void>
  bye(): Promise<void>
  stop(): Promise<void>
}

/** Calls sip:<number>@<domain> over the edge's WebSocket as `user`, sending what `next` gives. */
export async function callWithScript(options: {
  webSocketUrl: string
  user: string
  domain: string
  number: string
  next: (index: number) => { kind: string; payload: Buffer }
}): Promise<RecordingCaller> {
  let handler: ScriptedRtpHandler | undefined
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${options.user}@${options.domain}`),
    transportOptions: { server: options.webSocketUrl, connectionTimeout: 5 },
    contactParams: { transport: 'ws', 'sb-media': 'rtp' },
    logBuiltinEnabled: false,
    logLevel: 'error',
    sessionDescriptionHandlerFactory: () => (handler = new ScriptedRtpHandler(options.next)),
  })
  await ua.start()
  const inviter = new Inviter(ua, UserAgent.makeURI(`sip:${options.number}@${options.domain}`)!)
  let resolveEstablished!: () => void
  let resolveEnded!: () => void
  const established = new Promise<void>((resolve) => (resolveEstablished = resolve))
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve))
  inviter.stateChange.addListener((state) => {
    if (state === SessionState.Established) {
      handler?.startMedia()
      resolveEstablished()
    }
    if (state === SessionState.Terminated) {
      handler?.close()
      resolveEnded()
    }
  })
  void inviter.invite().catch(() => resolveEnded())
  const bounded = (work: Promise<unknown>) =>
    Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))])
  return {
    handler: () => handler,
    established,
    ended,
    async bye() {
      if (inviter.state === SessionState.Established) await inviter.bye()
    },
    async stop() {
      handler?.close()
      await bounded(ua.stop())
    },
  }
}
