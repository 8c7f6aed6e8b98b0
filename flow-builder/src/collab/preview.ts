import type { EditorApi, EditorPreview } from '../editor/editor-api'
import type { FlowDocument } from '../graph/document'

/**
 * Shows a document read-only without making it the draft (an old version, a diff). Uses the
 * editor's previewDocument when it has one; otherwise draws it with replaceDocument and puts
 * the draft back on leave (one undo step each way).
 */
export function createPreview(editor: EditorApi) {
  const native = (editor as EditorApi & EditorPreview).previewDocument?.bind(editor)
  let saved: FlowDocument | null = null
  let showing = false
  return {
    show(document: FlowDocument, reason: string) {
      if (native) native(document)
      else {
        saved ??= editor.getDocument()
        editor.replaceDocument(document, reason)
      }
      editor.setReadOnly(true)
      showing = true
    },
    leave(reason: string) {
      if (!showing) return
      showing = false
      if (native) native(null)
      else if (saved) {
        editor.replaceDocument(saved, reason)
        saved = null
      }
      editor.setReadOnly(false)
    },
    get showing() {
      return showing
    },
  }
}
export type Preview = ReturnType<typeof createPreview>
