import { defineStore } from 'pinia'
import { ref } from 'vue'
import { errorMessage } from '../api/http'

export interface Toast {
  id: number
  kind: 'info' | 'success' | 'error' | 'warning'
  text: string
}

/** Short messages in the corner: what happened, what failed and why. */
export const useToastStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let next = 1

  function push(kind: Toast['kind'], text: string, ms = kind === 'error' ? 7000 : 3500) {
    const id = next++
    toasts.value.push({ id, kind, text })
    setTimeout(() => dismiss(id), ms)
  }
  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  return {
    toasts,
    dismiss,
    info: (text: string) => push('info', text),
    success: (text: string) => push('success', text),
    warning: (text: string) => push('warning', text),
    error: (error: unknown) => push('error', errorMessage(error)),
  }
})
