/**
 * The ring of an incoming call, made with Web Audio (no sound file to ship): 440 + 480 Hz,
 * one second on, two off, until stopped. Browsers may keep audio muted until the page has been
 * clicked once; the ringing widget is the signal that does not depend on it.
 */
export class RingTone {
  private context: AudioContext | null = null
  private timer: ReturnType<typeof setInterval> | null = null

  start(): void {
    if (this.timer) return
    try {
      this.context ??= new AudioContext()
      void this.context.resume().catch(() => undefined)
    } catch {
      return
    }
    const burst = () => {
      const ctx = this.context
      if (!ctx) return
      const gain = ctx.createGain()
      gain.gain.setValueAtTime(0, ctx.currentTime)
      gain.gain.linearRampToValueAtTime(0.08, ctx.currentTime + 0.02)
      gain.gain.setValueAtTime(0.08, ctx.currentTime + 0.98)
      gain.gain.linearRampToValueAtTime(0, ctx.currentTime + 1)
      gain.connect(ctx.destination)
      for (const frequency of [440, 480]) {
        const osc = ctx.createOscillator()
        osc.frequency.value = frequency
        osc.connect(gain)
        osc.start()
        osc.stop(ctx.currentTime + 1)
      }
    }
    burst()
    this.timer = setInterval(burst, 3000)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  dispose(): void {
    this.stop()
    void this.context?.close().catch(() => undefined)
    this.context = null
  }
}
