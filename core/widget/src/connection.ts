import type { ServerFrame } from './protocol.js'

const MIN_DELAY_MS = 500
const MAX_DELAY_MS = 15_000

/**
 * The widget's socket: opens, tells the owner on every (re)connect so it can resume, and
 * reconnects with exponential backoff and jitter when the socket drops. Frames sent while
 * closed are the owner's to resend (its pending list), never queued here.
 */
export class Connection {
  private ws: WebSocket | null = null
  private attempts = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = false

  constructor(
    private readonly url: string,
    private readonly handlers: {
      open(): void
      frame(frame: ServerFrame): void
      down(): void
    },
  ) {}

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN
  }

  connect() {
    if (this.stopped || this.ws) return
    const ws = new WebSocket(this.url)
    this.ws = ws
    ws.onopen = () => {
      this.attempts = 0
      this.handlers.open()
    }
    ws.onmessage = (event) => {
      try {
        this.handlers.frame(JSON.parse(String(event.data)) as ServerFrame)
      } catch {
        // a frame we cannot read is skipped; a resume fills any gap it leaves
      }
    }
    ws.onclose = () => {
      this.ws = null
      this.handlers.down()
      this.schedule()
    }
  }

  send(frame: unknown): boolean {
    if (!this.isOpen) return false
    this.ws!.send(JSON.stringify(frame))
    return true
  }

  /** Closes the socket as a network drop would; it reconnects by itself. */
  drop() {
    this.ws?.close()
  }

  private schedule() {
    if (this.stopped || this.timer) return
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempts++) * (0.75 + Math.random() * 0.5)
    this.timer = setTimeout(() => {
      this.timer = null
      this.connect()
    }, delay)
  }
}
