import { useEffect } from 'react'
import type { EditorStore } from './editor-store'

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

/**
 * The editor's keyboard: Ctrl/Cmd+S save, +Z undo, +Shift+Z / +Y redo, +C copy, +V paste, +A
 * select all, Delete/Backspace delete the selection, F fit the view. Inside a text box only
 * Ctrl+S applies.
 */
export function useShortcuts(store: EditorStore, actions: { save(): void; onTab(tab: string): void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      if (mod && key === 's') {
        e.preventDefault()
        if (store.getSnapshot().dirty) actions.save()
        return
      }
      if (typing(e.target)) return
      if (mod && key === 'z') {
        e.preventDefault()
        if (e.shiftKey) store.redo()
        else store.undo()
      } else if (mod && key === 'y') {
        e.preventDefault()
        store.redo()
      } else if (mod && key === 'c') {
        if (store.copy()) e.preventDefault()
      } else if (mod && key === 'v') {
        e.preventDefault()
        void store.paste()
      } else if (mod && key === 'a') {
        e.preventDefault()
        store.selectAll()
      } else if (!mod && !e.altKey && (e.key === 'Delete' || e.key === 'Backspace')) {
        e.preventDefault()
        store.deleteSelection()
      } else if (!mod && !e.altKey && key === 'f') {
        store.canvas?.fit()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store, actions])
}
