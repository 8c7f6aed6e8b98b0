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
}

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
  readonly stats: MediaStats = { sent: 0, promptSent: 0, received: 0, receivedNonSilent: 0, dtmfPackets: 0 }
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

  get busy(): boolean {
    return this.playing !== undefined || this.queue.length > 0
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.audioListeners.clear()
    pacer.delete(this)
    openLegs.delete(this)
    this.stopPlayback()
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
    }
    this.socket.send(packet, this.remote!.port, this.remote!.address)
    this.stats.sent += 1
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
