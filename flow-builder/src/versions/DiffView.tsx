import type { EditorApi } from '../editor/editor-api'
import { useI18n } from '../i18n'
import { changeList, type FlowDiff } from './diff'

/** The legend of the diff colours on the canvas and the list of changes (config fields by name). */
export function DiffView({ diff, editor }: { diff: FlowDiff; editor: EditorApi }) {
  const { t } = useI18n()
  const lines = changeList(diff)
  return (
    <div className="ver-diff" data-testid="diff-view">
      <div className="ver-legend">
        <span>
          <i className="lg lg--added" /> {t('versions.legend.added')}
        </span>
        <span>
          <i className="lg lg--removed" /> {t('versions.legend.removed')}
        </span>
        <span>
          <i className="lg lg--changed" /> {t('versions.legend.changed')}
        </span>
      </div>
      {diff.same && !lines.length ? (
        <p className="fp-empty">
          {diff.nodes.moved.length ? t('versions.onlyMoved', { n: diff.nodes.moved.length }) : t('versions.same')}
        </p>
      ) : (
        <ul className="ver-changes" data-testid="diff-changes">
          {lines.map((line, i) => (
            <li key={i} className={`ver-change ver-change--${line.kind}`} data-kind={line.kind}>
              {'nodeId' in line ? (
                <button type="button" className="ver-change-btn" onClick={() => editor.focusNode(line.nodeId)}>
                  <span className="ver-change-kind">{t(`versions.change.${line.kind}`)}</span>
                  <span className="ver-change-what">{'title' in line ? line.title : line.text}</span>
                  {'type' in line && <span className="ver-change-type">{line.type}</span>}
                  {'fields' in line && line.fields.length > 0 && (
                    <span className="ver-change-fields">
                      {line.fields.map((f) => (
                        <code key={f}>{f}</code>
                      ))}
                    </span>
                  )}
                </button>
              ) : (
                <span className="ver-change-btn">
                  <span className="ver-change-kind">{t(`versions.change.${line.kind}`)}</span>
                  <code>{line.name}</code>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
