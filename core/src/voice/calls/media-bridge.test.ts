import { createSocket, type Socket } from 'node:dgram'
import { afterEach, describe, expect, it } from 'vitest'
import { Bridge, JitterQueue } from './bridge.js'
import { createDtmfDecoder, parseRtpHeader, type RtpHeader } from './dtmf.js'
import { openMediaSockets, RtpMedia } from './media.js'

/** A plain UDP peer on 127.0.0.1: what it received, and a way to send PCMU frames. */
async function peer(): Promise<{ socket: Socket; port: number; packets: Buffer[]; close(): void }> {
  const socket = createSocket('udp4')
  const packets: Buffer[] = []
  socket.on('message', (packet) => packets.push(packet))
  const port = await new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)))
  return { socket, port, packets, close: () => socket.close() }
}

function pcmu(sequence: number, fill: number): Buffer {
  const packet = Buffer.alloc(12 + 160, fill)
  packet[0] = 0x80
  packet[1] = 0
  packet.writeUInt16BE(sequence, 2)
  packet.writeUInt32BE(sequence * 160, 4)
  packet.writeUInt32BE(0xabcdef, 8)
  return packet
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const audioPayloads = (packets: Buffer[]) =>
  packets
    .map((p) => ({ header: parseRtpHeader(p)!, payload: p.subarray(12) }))
    .filter((p) => p.header.payloadType === 0)
    .map((p) => p.payload)
const isSilent = (payload: Buffer) => payload.every((b) => b === 0xff || b === 0x7f)

const legs: RtpMedia[] = []
const peers: Array<{ close(): void }> = []
afterEach(() => {
  for (const leg of legs.splice(0)) leg.close()
  for (const p of peers.splice(0)) p.close()
  expect(openMediaSockets()).toBe(0)
})

async function leg(remotePort: number): Promise<RtpMedia> {
  const media = new RtpMedia('127.0.0.1', () => undefined)
  legs.push(media)
  await media.port()
  media.start({ address: '127.0.0.1', port: remotePort })
  return media
}

describe('RFC 4733 keys sent on a leg', () => {
  it('sends each key as events with one timestamp, the marker first, the end bit three times, growing durations', async () => {
    const far = await peer()
    peers.push(far)
    const media = await leg(far.port)
    const sentAt = Date.now()
    await media.sendDtmf('1#9')
    expect(Date.now() - sentAt).toBeLessThan(5000)

    const events = far.packets
      .map((p) => ({ header: parseRtpHeader(p)!, payload: p.subarray(12) }))
      .filter((p) => p.header.payloadType === 101)
    expect(events).toHaveLength(3 * 8)
    const keys: string[] = []
    const decode = createDtmfDecoder((key) => keys.push(key))
    for (const e of events) decode(e.header, e.payload)
    expect(keys).toEqual(['1', '#', '9'])

    for (let k = 0; k < 3; k++) {
      const one = events.slice(k * 8, k * 8 + 8)
      const headers: RtpHeader[] = one.map((e) => e.header)
      expect(new Set(headers.map((h) => h.timestamp)).size).toBe(1)
      expect(headers.map((h) => h.marker)).toEqual([true, false, false, false, false, false, false, false])
      expect(one.map((e) => e.payload[0])).toEqual(Array(8).fill([1, 11, 9][k]))
      expect(one.map((e) => (e.payload[1]! & 0x80) !== 0)).toEqual([
        false,
        false,
        false,
        false,
        false,
        true,
        true,
        true,
      ])
      expect(one.map((e) => e.payload.readUInt16BE(2))).toEqual([160, 320, 480, 640, 800, 800, 800, 800])
      // consecutive sequence numbers within a key
      for (let i = 1; i < headers.length; i++)
        expect((headers[i]!.sequence - headers[i - 1]!.sequence) & 0xffff).toBe(1)
    }
    // each key starts later on the RTP clock, and one stream: the audio around them shares the SSRC
    const starts = [0, 8, 16].map((i) => events[i]!.header.timestamp)
    expect(starts[1]! - starts[0]!).toBe(10 * 160)
    expect(starts[2]! - starts[1]!).toBe(10 * 160)
    const ssrcs = new Set(far.packets.map((p) => parseRtpHeader(p)!.ssrc))
    expect(ssrcs.size).toBe(1)
    expect(media.stats.dtmfSent).toBe(24)
  })

  it('refuses what is not a key', async () => {
    const far = await peer()
    peers.push(far)
    const media = await leg(far.port)
    await expect(media.sendDtmf('12x')).rejects.toThrow(/not keys/)
  })
})

describe('a bridge between two legs', () => {
  it('sends what one leg hears on the other, both ways; held, nothing crosses; detached, silence', async () => {
    const caller = await peer()
    const agent = await peer()
    peers.push(caller, agent)
    const callerLeg = await leg(caller.port)
    const agentLeg = await leg(agent.port)
    const bridge = new Bridge(callerLeg, agentLeg)

    // the caller talks (0x55 bytes: not silence), the agent answers (0x22)
    let seq = 0
    const talk = setInterval(() => {
      caller.socket.send(pcmu(seq, 0x55), callerLeg.socket.address().port, '127.0.0.1')
      agent.socket.send(pcmu(seq, 0x22), agentLeg.socket.address().port, '127.0.0.1')
      seq += 1
    }, 20)
    try {
      await until(() => audioPayloads(agent.packets).filter((p) => p[0] === 0x55).length >= 20)
      await until(() => audioPayloads(caller.packets).filter((p) => p[0] === 0x22).length >= 20)
      expect(agentLeg.stats.bridgedSent).toBeGreaterThanOrEqual(20)

      bridge.hold(true)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const heldFrom = { caller: caller.packets.length, agent: agent.packets.length }
      await until(() => caller.packets.length > heldFrom.caller + 20 && agent.packets.length > heldFrom.agent + 20)
      expect(audioPayloads(caller.packets.slice(heldFrom.caller)).every(isSilent)).toBe(true)
      expect(audioPayloads(agent.packets.slice(heldFrom.agent)).every(isSilent)).toBe(true)

      bridge.hold(false)
      const resumed = caller.packets.length
      await until(() => audioPayloads(caller.packets.slice(resumed)).filter((p) => p[0] === 0x22).length >= 10)

      bridge.detach()
      await new Promise((resolve) => setTimeout(resolve, 100))
      const detachedFrom = agent.packets.length
      await until(() => agent.packets.length > detachedFrom + 20)
      expect(audioPayloads(agent.packets.slice(detachedFrom)).every(isSilent)).toBe(true)
    } finally {
      clearInterval(talk)
    }
  })

  it('a prompt on a leg takes precedence over the bridged audio', async () => {
    const caller = await peer()
    const agent = await peer()
    peers.push(caller, agent)
    const callerLeg = await leg(caller.port)
    const agentLeg = await leg(agent.port)
    new Bridge(callerLeg, agentLeg)
    let seq = 0
    const talk = setInterval(
      () => agent.socket.send(pcmu(seq++, 0x22), agentLeg.socket.address().port, '127.0.0.1'),
      20,
    )
    try {
      await until(() => audioPayloads(caller.packets).some((p) => p[0] === 0x22))
      const from = caller.packets.length
      const played = await callerLeg.play(Buffer.alloc(160 * 10, 0x33))
      expect(played).toBe(true)
      // (the last frame is on its way when play() resolves)
      await until(() => audioPayloads(caller.packets.slice(from)).filter((p) => p[0] === 0x33).length >= 10)
      const during = audioPayloads(caller.packets.slice(from))
      expect(during.filter((p) => p[0] === 0x33)).toHaveLength(10)
      // the prompt's frames went out together, none of the agent's in between
      const first = during.findIndex((p) => p[0] === 0x33)
      expect(during.slice(first, first + 10).every((p) => p[0] === 0x33)).toBe(true)
    } finally {
      clearInterval(talk)
    }
  })

  it('the jitter queue waits for two frames, keeps five at most, and refills after running dry', () => {
    const queue = new JitterQueue()
    queue.push(Buffer.from([1]))
    expect(queue.take()).toBeUndefined()
    queue.push(Buffer.from([2]))
    expect(queue.take()?.[0]).toBe(1)
    for (let i = 3; i <= 9; i++) queue.push(Buffer.from([i]))
    expect(queue.dropped).toBe(3)
    expect([1, 2, 3, 4, 5].map(() => queue.take()?.[0])).toEqual([5, 6, 7, 8, 9])
    expect(queue.take()).toBeUndefined()
    queue.push(Buffer.from([10]))
    expect(queue.take()).toBeUndefined()
  })
})
