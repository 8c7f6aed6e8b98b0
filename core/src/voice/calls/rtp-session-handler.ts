import type { SessionDescriptionHandler } from 'sip.js'
import { RtpMedia } from './media.js'

/** The audio of an SDP: where to send RTP and the telephone-event payload type. */
export interface SdpAudio {
  address: string
  port: number
  protocol: string
  /** PCMU (payload type 0) is among the offered formats */
  pcmu: boolean
  dtmfPayloadType: number | undefined
}

export function parseSdpAudio(sdp: string): SdpAudio | undefined {
  const media = /^m=audio (\d+) (\S+)((?: \d+)*)/m.exec(sdp)
  if (!media) return undefined
  // a c= line inside the audio section wins over the session's
  const section = sdp.slice(media.index)
  const connection = /^c=IN IP4 (\S+)/m.exec(section) ?? /^c=IN IP4 (\S+)/m.exec(sdp)
  if (!connection) return undefined
  const formats = media[3]!.trim().split(/\s+/).filter(Boolean).map(Number)
  const event = /^a=rtpmap:(\d+) telephone-event\/8000/im.exec(section)
  return {
    address: connection[1]!,
    port: Number(media[1]),
    protocol: media[2]!,
    pcmu: formats.includes(0),
    dtmfPayloadType: event ? Number(event[1]) : undefined,
  }
}

/**
 * sip.js's SessionDescriptionHandler for Switchboard's own user agent: plain RTP from Node (no
 * WebRTC; the edge gives this contact plain RTP because it registers with `sb-media=rtp`). It
 * answers PCMU with the offer's telephone-event payload type on a socket of its own; the call
 * session starts the media once the call is established.
 */
export class RtpSessionHandler implements SessionDescriptionHandler {
  readonly media: RtpMedia
  remote: SdpAudio | undefined
  private keyListener: ((key: string) => void) | undefined
  private closed = false

  constructor(private readonly address: string) {
    this.media = new RtpMedia(address, (key) => this.keyListener?.(key))
  }

  /** Where the caller's keys (RFC 4733) go. */
  onKey(listener: (key: string) => void): void {
    this.keyListener = listener
  }

  async getDescription() {
    const port = await this.media.port()
    const dtmf = this.remote?.dtmfPayloadType ?? 101
    const sdp = [
      'v=0',
      `o=switchboard ${port} 1 IN IP4 ${this.address}`,
      's=switchboard',
      `c=IN IP4 ${this.address}`,
      't=0 0',
      `m=audio ${port} RTP/AVP 0 ${dtmf}`,
      'a=rtpmap:0 PCMU/8000',
      `a=rtpmap:${dtmf} telephone-event/8000`,
      `a=fmtp:${dtmf} 0-15`,
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
    if (!audio || audio.protocol !== 'RTP/AVP') throw new Error('the offer has no plain RTP audio')
    if (!audio.pcmu) throw new Error('the offer has no PCMU (G.711 µ-law) audio')
    this.remote = audio
    if (audio.dtmfPayloadType !== undefined) this.media.dtmfPayloadType = audio.dtmfPayloadType
  }

  /** Starts sending RTP to the address the offer gave. */
  startMedia(): void {
    if (this.remote && !this.closed) this.media.start({ address: this.remote.address, port: this.remote.port })
  }

  sendDtmf(): boolean {
    return false
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.media.close()
  }
}
