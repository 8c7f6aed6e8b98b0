import { useI18n } from '../i18n'
import { problemText } from '../problems/problem-messages'
import type { EditorStore } from './editor-store'
import { useEditorState } from './use-editor'

/** Every problem the validator reports, in the builder's language; a click focuses the node it is on. */
export function ProblemsPanel({ store }: { store: EditorStore }) {
  const { t, locale } = useI18n()
  const s = useEditorState(store)
  if (!s.problems.length)
    return (
      <div className="sb-empty-state">{s.validating ? t('designer.top.checking') : t('designer.problems.none')}</div>
    )
  return (
    <ul className="sb-problems" data-testid="problems">
      {s.problems.map((p, i) => {
        const nodeId = p.nodeId ?? (p.edge !== undefined ? s.document.edges[p.edge]?.from : undefined)
        return (
          <li key={i}>
            <button type="button" disabled={!nodeId} onClick={() => nodeId && store.focusNode(nodeId)}>
              <span className="sb-problem-dot" aria-hidden />
              <span>
                {nodeId && <code className="sb-problem-node">{nodeId}</code>}
                <span className="sb-problem-text">{problemText(locale, p)}</span>
                <span className="sb-problem-code">{t(`designer.problems.code.${p.code}`)}</span>
              </span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}
