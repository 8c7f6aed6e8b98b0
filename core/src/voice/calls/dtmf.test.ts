import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { maskNumber } from './call-state.js'
import { createDtmfDecoder, parseRtpHeader } from './dtmf.js'
import { parseSdpAudio } from './rtp-session-handler.js'
import { callerOf } from './user-agent.js'

/** An RFC 4733 packet: PT 101, the event, the E bit, a duration. */
function eventPacket(input: { seq: number; ts: number; event: number; end: boolean; ssrc?: number }): Buffer {
  const packet = Buffer.alloc(16)
  packet[0] = 0x80
  packet[1] = 101
  packet.writeUInt16BE(input.seq, 2)
  packet.writeUInt32BE(input.ts, 4)
  packet.writeUInt32BE(input.ssrc ?? 0x1234, 8)
  packet[12] = input.event
  packet[13] = (input.end ? 0x80 : 0) | 10
  packet.writeUInt16BE(800, 14)
  return packet
}

function decodeAll(packets: Buffer[]): string {
  let keys = ''
  const decode = createDtmfDecoder((key) => (keys += key))
  for (const packet of packets) {
    const header = parseRtpHeader(packet)!
    decode(header, packet.subarray(header.payloadOffset))
  }
  return keys
}

/** The RTP payloads of a classic pcap (Ethernet + IPv4 + UDP), as SIPp's dtmf_2833_*.pcap are. */
function pcapRtp(file: string): Buffer[] {
  const data = readFileSync(file)
  const packets: Buffer[] = []
  for (let offset = 24; offset + 16 <= data.length;) {
    const length = data.readUInt32LE(offset + 8)
    const frame = data.subarray(offset + 16, offset + 16 + length)
    offset += 16 + length
    const ipHeader = (frame[14]! & 0x0f) * 4
    packets.push(frame.subarray(14 + ipHeader + 8))
  }
  return packets
}

describe('RFC 4733 keys', () => {
  it('reports a key once although its end packet comes three times', () => {
    const packets = [
      eventPacket({ seq: 1, ts: 1000, event: 1, end: false }),
      eventPacket({ seq: 2, ts: 1000, event: 1, end: false }),
      eventPacket({ seq: 3, ts: 1000, event: 1, end: true }),
      eventPacket({ seq: 4, ts: 1000, event: 1, end: true }),
      eventPacket({ seq: 5, ts: 1000, event: 1, end: true }),
      eventPacket({ seq: 6, ts: 2000, event: 11, end: true }),
      eventPacket({ seq: 7, ts: 2000, event: 11, end: true }),
    ]
    expect(decodeAll(packets)).toBe('1#')
  })

  it('reports a key whose end packets were all lost when the next one begins; * and # by their codes', () => {
    expect(
      decodeAll([
        eventPacket({ seq: 1, ts: 1000, event: 10, end: false }),
        eventPacket({ seq: 2, ts: 1600, event: 0, end: false }),
        eventPacket({ seq: 3, ts: 1600, event: 0, end: true }),
      ]),
    ).toBe('*0')
  })

  it('takes the same key pressed again (same timestamp replayed much later) as a new press', () => {
    const press = (seq: number) => [
      eventPacket({ seq, ts: 5000, event: 2, end: false }),
      eventPacket({ seq: seq + 1, ts: 5000, event: 2, end: true }),
      eventPacket({ seq: seq + 2, ts: 5000, event: 2, end: true }),
    ]
    expect(decodeAll([...press(10), ...press(500)])).toBe('22')
  })

  const pcap = (key: string) => `/usr/share/sip-tester/dtmf_2833_${key}.pcap`
  it.skipIf(!existsSync(pcap('1')))("decodes SIPp's own DTMF recordings (sip-tester)", () => {
    const file = pcap
    expect(decodeAll([...pcapRtp(file('1')), ...pcapRtp(file('9')), ...pcapRtp(file('pound'))])).toBe('19#')
  })

  it('skips CSRCs and header extensions to find the payload', () => {
    const packet = Buffer.alloc(12 + 4 + 8 + 4)
    packet[0] = 0x80 | 0x10 | 1 // extension, one CSRC
    packet[1] = 101
    packet.writeUInt16BE(1, 18) // extension of one word
    packet[24] = 5
    packet[25] = 0x80
    const header = parseRtpHeader(packet)!
    expect(header.payloadOffset).toBe(24)
    expect(parseRtpHeader(Buffer.from([0x40, 0, 0]))).toBeUndefined()
  })
})

describe('SDP, caller ID and masking', () => {
  it("finds the audio address and the offer's telephone-event payload type", () => {
    const sdp = [
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.1',
      's=-',
      'c=IN IP4 10.0.0.1',
      't=0 0',
      'm=audio 30000 RTP/AVP 8 0 96',
      'c=IN IP4 127.0.0.1',
      'a=rtpmap:96 telephone-event/8000',
      '',
    ].join('\r\n')
    expect(parseSdpAudio(sdp)).toEqual({
      address: '127.0.0.1',
      port: 30000,
      protocol: 'RTP/AVP',
      pcmu: true,
      dtmfPayloadType: 96,
    })
    expect(parseSdpAudio('v=0\r\nm=audio 1 RTP/AVP 8\r\n')).toBeUndefined()
  })

  it('takes the caller from P-Asserted-Identity (sip: or tel:), else From', () => {
    expect(callerOf('"Li" <sip:+8613812345678@trunk.example;user=phone>', 'anonymous', 'x')).toBe('+8613812345678')
    expect(callerOf('<tel:+8613812345678>', 'anonymous', 'x')).toBe('+8613812345678')
    expect(callerOf(undefined, '%2B8613812345678', 'x')).toBe('+8613812345678')
    expect(callerOf(undefined, undefined, 'pbx.example')).toBe('pbx.example')
  })

  it('masks a number for attributes and logs, keeping the country code, prefix and last four digits', () => {
    expect(maskNumber('+8613812345678')).toBe('+86138****5678')
    expect(maskNumber('1234')).toBe('**34')
  })
})
