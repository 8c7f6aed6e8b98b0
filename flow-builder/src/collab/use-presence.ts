import { useEffect } from 'react'
import { onSaveFailed, type EditorApi } from '../editor/editor-api'
import { collab, loadMe } from './collab-store'
import { staleSaveOf } from './conflict'
import { isForeignSave, type DraftSaved, type FlowEditor } from './presence'
import { follow } from './realtime'

type Message = { type: 'flow.editors'; editors: FlowEditor[] } | ({ type: 'flow.draft.saved' } & DraftSaved)

/**
 * Joins the open flow's editors (the realtime path /flows/{id}/editors) while mounted, keeps
 * the collab store current, and turns a refused stale save into the conflict the UI offers
 * ways out of. Mounted by the header widget and the versions panel; both share one subscription
 * on the server (nes subscribes a path once per socket).
 */
export function usePresence(editor: EditorApi): void {
  const flowId = editor.flow.id
  useEffect(() => {
    collab.openFlow(flowId)
    void loadMe()
    let stop: (() => void) | null = null
    let gone = false
    void follow(`/flows/${flowId}/editors`, (raw) => {
      const message = raw as Message
      if (message.type === 'flow.editors') collab.setEditors(message.editors)
      else if (message.type === 'flow.draft.saved') {
        const me = collab.get().me
        if (me && isForeignSave(message, me, editor.flow.revision)) collab.notice(message)
      }
    })
      .then((off) => (gone ? off() : (stop = off)))
      .catch(() => undefined)
    const offSave = onSaveFailed((error) => {
      const stale = staleSaveOf(error)
      if (stale) collab.setConflict(stale)
    })
    return () => {
      gone = true
      stop?.()
      offSave()
    }
  }, [flowId, editor])
}
