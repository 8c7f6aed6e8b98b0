import { useSyncExternalStore } from 'react'
import type { EditorSnapshot, EditorStore } from './editor-store'

/** The store's state for a component; it re-renders when the state changes. */
export function useEditorState(store: EditorStore): EditorSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot)
}
