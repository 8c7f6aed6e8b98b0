import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/**
 * Renders only the rows in sight (plus a few) of a long list of fixed-height rows, so an inbox
 * of thousands scrolls as smoothly as one of ten. `onNearEnd` runs when the end comes into sight
 * (to load the next page).
 */
export function useVirtualList<T>(items: Ref<T[]>, rowHeight: number, onNearEnd: () => void, overscan = 6) {
  const container = ref<HTMLElement | null>(null)
  const scrollTop = ref(0)
  const height = ref(600)

  const range = computed(() => {
    const first = Math.max(0, Math.floor(scrollTop.value / rowHeight) - overscan)
    const last = Math.min(items.value.length, Math.ceil((scrollTop.value + height.value) / rowHeight) + overscan)
    return { first, last }
  })
  const visible = computed(() =>
    items.value.slice(range.value.first, range.value.last).map((item, i) => ({ item, index: range.value.first + i })),
  )
  const padTop = computed(() => range.value.first * rowHeight)
  const padBottom = computed(() => Math.max(0, (items.value.length - range.value.last) * rowHeight))

  function onScroll() {
    const el = container.value
    if (!el) return
    scrollTop.value = el.scrollTop
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight * 5) onNearEnd()
  }

  let observer: ResizeObserver | null = null
  onMounted(() => {
    if (!container.value) return
    height.value = container.value.clientHeight
    observer = new ResizeObserver(() => {
      if (container.value) height.value = container.value.clientHeight
    })
    observer.observe(container.value)
  })
  onBeforeUnmount(() => observer?.disconnect())

  return { container, visible, padTop, padBottom, onScroll }
}
