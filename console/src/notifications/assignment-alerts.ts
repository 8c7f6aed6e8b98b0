import { ref } from 'vue'
import { paths } from '../realtime/paths'
import { realtime, type RealtimeEvent } from '../realtime/realtime'

/**
 * Tells the agent when a conversation is assigned to them: a short chime (Web Audio, no file) and
 * a desktop notification when the browser allows it and the tab is not in front. Settings are kept
 * in localStorage per browser.
 */
export const soundOn = ref(localStorage.getItem('sb.sound') !== 'off')
export const desktopOn = ref(typeof Notification !== 'undefined' && Notification.permission === 'granted')

export function setSound(on: boolean): void {
  soundOn.value = on
  localStorage.setItem('sb.sound', on ? 'on' : 'off')
}

export async function enableDesktop(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false
  const permission = await Notification.requestPermission()
  desktopOn.value = permission === 'granted'
  return desktopOn.value
}

let audio: AudioContext | null = null
export function chime(): void {
  if (!soundOn.value) return
  try {
    audio ??= new AudioContext()
    const now = audio.currentTime
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, now + i * 0.12)
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.12 + 0.02)
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.25)
      osc.connect(gain).connect(audio.destination)
      osc.start(now + i * 0.12)
      osc.stop(now + i * 0.12 + 0.3)
    }
  } catch {
    // no audio device or autoplay refused: the toast still shows
  }
}

/** Follows /conversations/mine and alerts on each new assignment to `userId`. Returns the stopper. */
export async function watchAssignments(
  userId: string,
  onAssigned: (event: RealtimeEvent) => void,
): Promise<() => void> {
  const alerted = new Set<string>()
  return realtime.subscribe(paths.mine, (event) => {
    if (event.type !== 'conversation.assigned' || event.assigneeId !== userId) return
    const key = `${event.conversationId}:${event.version}`
    if (alerted.has(key)) return
    alerted.add(key)
    chime()
    onAssigned(event)
  })
}

export function desktopNotify(title: string, body: string, onClick?: () => void): void {
  if (!desktopOn.value || document.visibilityState === 'visible') return
  const n = new Notification(title, { body, tag: 'switchboard-assignment' })
  n.onclick = () => {
    window.focus()
    onClick?.()
    n.close()
  }
}
