import { createSocket, type Socket } from 'node:dgram'
import type { SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js'

/** Where the other side wants its RTP, from an SDP's c= and m=audio lines. */
export interface SdpAudio {
  address: string
  port: number
  protocol: string
}

export function parseSdpAudio(sdp: string): SdpAudio | undefined {
  const media = /^m=audio (\d+) (\S+)/m.exec(sdp)
  const connection = /^c=IN IP4 (\S+)/m.exec(sdp)
  if (!media || !connection) return undefined
  return { address: connection[1]!, port: Number(media[1]), protocol: media[2]! }
}

/**
 * A sip.js SessionDescriptionHandler doing plain RTP from Node (no WebRTC): it offers or
 * answers PCMU + telephone-event on a UDP socket of its own, sends 20 ms PCMU packets of
 * silence when asked, and counts what comes back. Switchboard's own user agent works this way.
 */
export class PlainRtpHandler implements SessionDescriptionHandler {
  readonly socket: Socket
  private readonly bound: Promise<number>
  remoteSdp: string | undefined
  remote: SdpAudio | undefined
  sent = 0
  received = 0
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor() {
    this.socket = createSocket('udp4')
    this.socket.on('message', () => {
      this.received += 1
    })
    this.socket.on('error', () => undefined)
    this.bound = new Promise((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve(this.socket.address().port)))
  }

  static factory(created: (handler: PlainRtpHandler) => void): SessionDescriptionHandlerFactory {
    return () => {
      const handler = new PlainRtpHandler()
      created(handler)
      return handler
    }
  }

  async getDescription() {
    const port = await this.bound
    const sdp = [
      'v=0',
      `o=switchboard-test ${port} 1 IN IP4 127.0.0.1`,
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
    this.remoteSdp = sdp
    this.remote = parseSdpAudio(sdp)
  }

  sendDtmf(): boolean {
    return false
  }

  /** Sends `count` PCMU packets (µ-law silence), one every 20 ms, to the address the SDP gave. */
  startMedia(count = 50): void {
    if (!this.remote || this.timer) return
    const { address, port } = this.remote
    const ssrc = Math.floor(Math.random() * 0xffffffff)
    this.timer = setInterval(() => {
      if (this.closed || this.sent >= count) {
        clearInterval(this.timer)
        return
      }
      const packet = Buffer.alloc(12 + 160, 0xff)
      packet[0] = 0x80
      packet[1] = this.sent === 0 ? 0x80 : 0x00 // PT 0 (PCMU), marker on the first
      packet.writeUInt16BE(this.sent & 0xffff, 2)
      packet.writeUInt32BE((this.sent * 160) >>> 0, 4)
      packet.writeUInt32BE(ssrc >>> 0, 8)
      this.socket.send(packet, port, address)
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
