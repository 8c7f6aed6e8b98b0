import { randomBytes } from 'node:crypto'
import { createSocket, type Socket } from 'node:dgram'
import { createDtmfDecoder, parseRtpHeader } from './dtmf.js'

/** One 20 ms PCMU frame: 160 samples of 8 kHz µ-law. */
export const FRAME_BYTES = 160
const FRAME_NS = 20_000_000n
/** µ-law silence */
const SILENCE = 0xff
/** more frames than this behind (a stalled event loop): skip ahead instead of bursting */
const MAX_BURST = 5

export interface MediaStats {
  /** RTP packets sent (prompt audio and silence) */
  sent: number
  /** packets of those that carried prompt audio */
  promptSent: number
  /** audio (non-DTMF) packets received */
  received: number
  /** received audio packets that were not silence */
  receivedNonSilent: number
  /** RFC 4733 packets received */
  dtmfPackets: number
  /** packets that carried audio from the other leg of a bridge */
  bridgedSent: number
  /** RFC 4733 packets sent (keys sent to this leg) */
  dtmfSent: number
}

/** A key to send as RFC 4733 events: its packets are sent in place of audio frames. */
interface OutgoingKey {
  event: number
  /** frames of it sent so far */
  frames: number
  /** the RTP timestamp of its first packet (every packet of an event carries it) */
  timestamp: number
  done: () => void
}

/** RFC 4733 telephone-event codes 0–15 */
const DTMF_KEYS = '0123456789*#ABCD'
/** a key lasts 5 frames (100 ms), its end packet is sent 3 times, then 2 frames (40 ms) of audio before the next */
const KEY_FRAMES = 5
const KEY_END_COPIES = 3
const KEY_GAP_FRAMES = 2
/** the volume field of the events: -10 dBm0 */
const KEY_VOLUME = 10

interface Playing {
  audio: Buffer
  offset: number
  done: (finished: boolean) => void
}

/**
 * The plain-RTP media of one call leg: a UDP socket of its own, PCMU sent every 20 ms (prompt
 * audio when something plays, µ-law silence otherwise) and RFC 4733 keys decoded from what comes
 * in. Every leg is paced by one shared 10 ms timer, not a timer per call.
 */
export class RtpMedia {
  readonly socket: Socket
  readonly stats: MediaStats = {
    sent: 0,
    promptSent: 0,
    received: 0,
    receivedNonSilent: 0,
    dtmfPackets: 0,
    bridgedSent: 0,
    dtmfSent: 0,
  }
  /** the payload type the other side uses for telephone-event (from the SDP) */
  dtmfPayloadType = 101
  private readonly bound: Promise<number>
  private remote: { address: string; port: number } | undefined
  private readonly ssrc = randomBytes(4).readUInt32BE(0)
  private sequence = randomBytes(2).readUInt16BE(0)
  private timestamp = randomBytes(4).readUInt32BE(0)
  private startedAt = 0n
  private frames = 0n
  private playing: Playing | undefined
  private readonly queue: Playing[] = []
  private closed = false
  private readonly decode: ReturnType<typeof createDtmfDecoder>
  private readonly audioListeners = new Set<(payload: Buffer) => void>()
  /** audio for frames when nothing plays (a bridge: the other leg's audio) */
  private source: (() => Buffer | undefined) | undefined
  private readonly keys: OutgoingKey[] = []

  constructor(
    address: string,
    private readonly onKey: (key: string) => void,
  ) {
    this.decode = createDtmfDecoder((key) => this.onKey(key))
    this.socket = createSocket('udp4')
    openLegs.add(this)
    this.socket.on('message', (packet) => this.receive(packet))
    this.socket.on('error', () => undefined)
    this.bound = new Promise((resolve, reject) => {
      this.socket.once('error', reject)
      this.socket.bind(0, address, () => resolve(this.socket.address().port))
    })
  }

  /** The local RTP port (once bound). */
  port(): Promise<number> {
    return this.bound
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Starts sending to where the other side's SDP says (silence until something plays). */
  start(remote: { address: string; port: number }): void {
    if (this.closed || this.remote) return
    this.remote = remote
    this.startedAt = process.hrtime.bigint()
    pacer.add(this)
  }

  /** Plays µ-law audio after what is already queued; resolves true when played to the end, false when stopped. */
  play(audio: Buffer): Promise<boolean> {
    if (this.closed) return Promise.resolve(false)
    return new Promise((resolve) => this.queue.push({ audio, offset: 0, done: resolve }))
  }

  /** Stops what plays and everything queued (a key pressed during a prompt). */
  stopPlayback(): void {
    const stopped = [...(this.playing ? [this.playing] : []), ...this.queue.splice(0)]
    this.playing = undefined
    for (const p of stopped) p.done(false)
  }

  /**
   * Every audio payload (µ-law, usually 160 bytes) received from the other side, as it arrives:
   * the bridge to another leg and the recorder listen here. Returns a function that stops listening.
   */
  onAudio(listener: (payload: Buffer) => void): () => void {
    this.audioListeners.add(listener)
    return () => this.audioListeners.delete(listener)
  }

  // [hook:recording] (helper D) what this leg sends, frame by frame: the call recorder's other side
  private readonly sentListeners = new Set<(payload: Buffer) => void>()
  /**
   * Every audio frame sent on this leg (prompt, hold audio, the bridged leg's audio or silence),
   * as it is sent; RFC 4733 key packets are not audio and are not given. Returns a function that
   * stops listening.
   */
  onSent(listener: (payload: Buffer) => void): () => void {
    this.sentListeners.add(listener)
    return () => this.sentListeners.delete(listener)
  }

  /**
   * Where the frames come from when no prompt plays: a bridge gives the other leg's audio here
   * (undefined: silence). Prompts and hold audio played on this leg take precedence.
   */
  setSource(source: (() => Buffer | undefined) | undefined): void {
    this.source = source
  }

  /**
   * Sends keys as RFC 4733 telephone events on this leg (in place of audio frames): each key
   * 100 ms with its end packet three times, 40 ms apart. Resolves when the last one was sent.
   */
  sendDtmf(digits: string): Promise<void> {
    const events = [...digits.toUpperCase()].map((key) => DTMF_KEYS.indexOf(key))
    if (events.some((e) => e < 0)) return Promise.reject(new Error(`not keys: ${digits}`))
    if (this.closed || events.length === 0) return Promise.resolve()
    return Promise.all(
      events.map((event) => new Promise<void>((done) => this.keys.push({ event, frames: 0, timestamp: 0, done }))),
    ).then(() => undefined)
  }

  get busy(): boolean {
    return this.playing !== undefined || this.queue.length > 0
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.audioListeners.clear()
    this.sentListeners.clear() // [hook:recording]
    pacer.delete(this)
    openLegs.delete(this)
    this.stopPlayback()
    this.source = undefined
    for (const key of this.keys.splice(0)) key.done()
    this.socket.close()
  }

  /** Called by the pacer: sends the frames that are due. */
  tick(now: bigint): void {
    if (this.closed || !this.remote) return
    const due = (now - this.startedAt) / FRAME_NS - this.frames
    if (due <= 0n) return
    if (due > BigInt(MAX_BURST)) {
      // behind (a long pause of the event loop): drop the missed frames rather than burst them
      this.frames += due - 1n
      this.timestamp = (this.timestamp + Number(due - 1n) * FRAME_BYTES) >>> 0
    }
    const count = due > BigInt(MAX_BURST) ? 1 : Number(due)
    for (let i = 0; i < count; i++) this.sendFrame()
  }

  private sendFrame(): void {
    if (this.keys.length > 0 && this.sendKeyFrame()) return this.nextFrame()
    const packet = Buffer.alloc(12 + FRAME_BYTES, SILENCE)
    packet[0] = 0x80
    packet[1] = this.frames === 0n ? 0x80 : 0x00 // PT 0 (PCMU), marker on the first packet
    packet.writeUInt16BE(this.sequence, 2)
    packet.writeUInt32BE(this.timestamp, 4)
    packet.writeUInt32BE(this.ssrc, 8)
    if (!this.playing) this.playing = this.queue.shift()
    const playing = this.playing
    if (playing) {
      playing.audio.copy(packet, 12, playing.offset, Math.min(playing.offset + FRAME_BYTES, playing.audio.length))
      playing.offset += FRAME_BYTES
      this.stats.promptSent += 1
      if (playing.offset >= playing.audio.length) {
        this.playing = undefined
        playing.done(true)
      }
    } else {
      const bridged = this.source?.()
      if (bridged) {
        bridged.copy(packet, 12, 0, Math.min(bridged.length, FRAME_BYTES))
        this.stats.bridgedSent += 1
      }
    }
    this.socket.send(packet, this.remote!.port, this.remote!.address)
    this.stats.sent += 1
    for (const listener of this.sentListeners) listener(packet.subarray(12)) // [hook:recording]
    this.nextFrame()
  }

  /**
   * One frame of the first key waiting: an event packet (true), or false in its gap frames, when
   * audio goes out as usual. The key is done (and the next one starts) after its gap.
   */
  private sendKeyFrame(): boolean {
    const key = this.keys[0]!
    if (key.frames === 0) key.timestamp = this.timestamp
    key.frames += 1
    if (key.frames > KEY_FRAMES + KEY_END_COPIES) {
      if (key.frames >= KEY_FRAMES + KEY_END_COPIES + KEY_GAP_FRAMES) {
        this.keys.shift()
        key.done()
      }
      return false
    }
    const end = key.frames > KEY_FRAMES
    const packet = Buffer.alloc(16)
    packet[0] = 0x80
    // the marker on an event's first packet
    packet[1] = (key.frames === 1 ? 0x80 : 0x00) | (this.dtmfPayloadType & 0x7f)
    packet.writeUInt16BE(this.sequence, 2)
    packet.writeUInt32BE(key.timestamp, 4)
    packet.writeUInt32BE(this.ssrc, 8)
    packet[12] = key.event
    packet[13] = (end ? 0x80 : 0x00) | KEY_VOLUME
    // the duration so far, in timestamp units; the end packets all carry the whole duration
    packet.writeUInt16BE(Math.min(key.frames, KEY_FRAMES) * FRAME_BYTES, 14)
    this.socket.send(packet, this.remote!.port, this.remote!.address)
    this.stats.sent += 1
    this.stats.dtmfSent += 1
    return true
  }

  private nextFrame(): void {
    this.frames += 1n
    this.sequence = (this.sequence + 1) & 0xffff
    this.timestamp = (this.timestamp + FRAME_BYTES) >>> 0
  }

  private receive(packet: Buffer): void {
    const header = parseRtpHeader(packet)
    if (!header) return
    const payload = packet.subarray(header.payloadOffset)
    if (header.payloadType === this.dtmfPayloadType) {
      this.stats.dtmfPackets += 1
      this.decode(header, payload)
      return
    }
    if (header.payloadType >= 72 && header.payloadType <= 76) return // RTCP on the RTP port
    this.stats.received += 1
    if (!isSilence(payload)) this.stats.receivedNonSilent += 1
    for (const listener of this.audioListeners) listener(payload)
  }
}

/** µ-law silence is 0xFF (or 0x7F): a frame with no other byte carries no sound. */
function isSilence(payload: Buffer): boolean {
  for (const byte of payload) if (byte !== 0xff && byte !== 0x7f) return false
  return true
}

const openLegs = new Set<RtpMedia>()

/** One timer for all legs, started with the first and stopped with the last. */
const pacer = {
  legs: new Set<RtpMedia>(),
  timer: undefined as NodeJS.Timeout | undefined,
  add(leg: RtpMedia) {
    this.legs.add(leg)
    this.timer ??= setInterval(() => {
      const now = process.hrtime.bigint()
      for (const l of this.legs) l.tick(now)
    }, 10)
  },
  delete(leg: RtpMedia) {
    this.legs.delete(leg)
    if (this.legs.size === 0 && this.timer) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  },
}

/** How many RTP sockets of call legs are open in this process (checks that a call left nothing behind). */
export function openMediaSockets(): number {
  return openLegs.size
}
