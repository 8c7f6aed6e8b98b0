import { onBeforeUnmount, ref, type Ref } from 'vue'

/** A clock that ticks every `ms` while the component lives (for "waiting 2:31" and "3 min ago"). */
export function useNow(ms = 5000): Ref<number> {
  const now = ref(Date.now())
  const timer = setInterval(() => (now.value = Date.now()), ms)
  onBeforeUnmount(() => clearInterval(timer))
  return now
}

/** 75 → "1:15", 3725 → "1:02:05" */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}
