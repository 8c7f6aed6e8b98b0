/** RFC 4733 telephone-event codes 0–15 as keys. */
const KEYS = '0123456789*#ABCD'

/** The RTP header's fields a receiver needs, and where the payload starts. */
export interface RtpHeader {
  payloadType: number
  marker: boolean
  sequence: number
  timestamp: number
  ssrc: number
  payloadOffset: number
}

/** Parses an RTP packet's header (RFC 3550: CSRC list and header extension skipped); undefined when it is not RTP. */
export function parseRtpHeader(packet: Buffer): RtpHeader | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined
  const csrcCount = packet[0]! & 0x0f
  let offset = 12 + 4 * csrcCount
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return undefined
    offset += 4 + 4 * packet.readUInt16BE(offset + 2)
  }
  if (offset > packet.length) return undefined
  return {
    payloadType: packet[1]! & 0x7f,
    marker: (packet[1]! & 0x80) !== 0,
    sequence: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payloadOffset: offset,
  }
}

/**
 * Decodes RFC 4733 DTMF events into keys. An event's packets share one RTP timestamp; its end
 * is marked by the E bit and the end packet is sent three times. A key is reported once, at its
 * first end packet (or, if every end packet was lost, when the next event begins). A repeated
 * end packet is recognised by the same SSRC, timestamp and a sequence number close to the first.
 */
export function createDtmfDecoder(onKey: (key: string) => void) {
  let current: { ssrc: number; timestamp: number; event: number; ended: boolean; sequence: number } | undefined

  return (header: RtpHeader, payload: Buffer): void => {
    if (payload.length < 4) return
    const event = payload[0]!
    const end = (payload[1]! & 0x80) !== 0
    if (event >= KEYS.length) return
    const same =
      current !== undefined &&
      current.ssrc === header.ssrc &&
      current.timestamp === header.timestamp &&
      ((header.sequence - current.sequence) & 0xffff) < 64
    if (!same) {
      // a new event: the previous one lost all of its end packets, report it now
      if (current && !current.ended) onKey(KEYS[current.event]!)
      current = { ssrc: header.ssrc, timestamp: header.timestamp, event, ended: false, sequence: header.sequence }
    }
    current!.sequence = header.sequence
    if (end && !current!.ended) {
      current!.ended = true
      onKey(KEYS[current!.event]!)
    }
  }
}
