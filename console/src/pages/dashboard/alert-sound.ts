import { soundOn } from '../../notifications/assignment-alerts'

let audio: AudioContext | null = null

/**
 * A short falling two-tone, unlike the assignment chime, so a supervisor tells an alert from a new
 * conversation by ear. Follows the console's sound switch (the bell in the top bar).
 */
export function alertTone(): void {
  if (!soundOn.value) return
  try {
    audio ??= new AudioContext()
    const now = audio.currentTime
    for (const [i, freq] of [988, 740, 988, 740].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.type = 'triangle'
      osc.frequency.value = freq
      const start = now + i * 0.16
      gain.gain.setValueAtTime(0.0001, start)
      gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15)
      osc.connect(gain).connect(audio.destination)
      osc.start(start)
      osc.stop(start + 0.16)
    }
  } catch {
    // no audio device, or autoplay refused before the first click: the banner still shows
  }
}
