import { useI18n, type Locale } from '../i18n'
import { navigate } from '../router'
import { headerWidgets } from './editor-api'
import type { EditorStore } from './editor-store'
import { useEditorState } from './use-editor'

/** The editor's top bar: flow name and state, save, publish (blocked with the reason), history, layout, export. */
export function TopBar(props: { store: EditorStore; onSave(): void; onPublish(): void; onExport(): void }) {
  const { store } = props
  const { t, locale, setLocale } = useI18n()
  const s = useEditorState(store)
  const errors = s.problems.length
  const publishBlocked = errors > 0 || s.validating
  const publishReason = s.validating
    ? t('designer.top.checking')
    : errors
      ? t('designer.top.publishBlocked', { n: errors })
      : t('designer.top.publishHint')
  const status = s.meta.publishedVersion
    ? t('designer.status.published', { v: s.meta.publishedVersion })
    : t('designer.status.neverPublished')
  return (
    <header className="sb-topbar">
      <button type="button" className="sb-btn sb-btn-ghost" onClick={() => navigate('')} title={t('designer.top.back')}>
        ← {t('designer.top.back')}
      </button>
      <div className="sb-topbar-title">
        <div className="sb-flow-name">
          {s.meta.name}
          {s.dirty && (
            <span className="sb-unsaved" title={t('designer.top.unsaved')} data-testid="unsaved">
              ● {t('designer.top.unsaved')}
            </span>
          )}
        </div>
        <div className="sb-flow-meta">
          <span className="sb-chip">{t(`designer.kind.${s.meta.kind}`)}</span>
          <span className="sb-muted">{t('designer.top.revision', { rev: s.meta.revision })}</span>
          <span className={s.meta.publishedVersion ? 'sb-chip sb-chip-ok' : 'sb-chip'}>{status}</span>
        </div>
      </div>
      <div className="sb-topbar-group">
        <button
          type="button"
          className="sb-btn sb-btn-icon"
          disabled={!s.canUndo || s.readOnly}
          onClick={() => store.undo()}
          title={`${t('designer.top.undo')} (Ctrl+Z)`}
          aria-label={t('designer.top.undo')}
        >
          ↶
        </button>
        <button
          type="button"
          className="sb-btn sb-btn-icon"
          disabled={!s.canRedo || s.readOnly}
          onClick={() => store.redo()}
          title={`${t('designer.top.redo')} (Ctrl+Shift+Z)`}
          aria-label={t('designer.top.redo')}
        >
          ↷
        </button>
        <button type="button" className="sb-btn" disabled={s.readOnly} onClick={() => store.autoLayout()}>
          {t('designer.top.layout')}
        </button>
        <button type="button" className="sb-btn" onClick={props.onExport}>
          {t('designer.top.export')}
        </button>
      </div>
      <div className="sb-topbar-group sb-ml-auto">
        {headerWidgets().map((w) => (
          <w.component key={w.id} editor={store} />
        ))}
        <span className={`sb-check ${errors ? 'is-bad' : s.validating ? '' : 'is-ok'}`} data-testid="validation-state">
          {s.validating
            ? t('designer.top.checking')
            : errors
              ? t('designer.top.problems', { n: errors })
              : t('designer.top.noProblems')}
        </span>
        <button
          type="button"
          className="sb-btn"
          disabled={s.saving || s.readOnly || !s.dirty}
          onClick={props.onSave}
          title="Ctrl+S"
          data-testid="save"
        >
          {s.saving ? t('designer.top.saving') : t('designer.top.save')}
        </button>
        <span title={publishReason} className="sb-publish-wrap">
          <button
            type="button"
            className="sb-btn sb-btn-primary"
            disabled={publishBlocked || s.saving || s.readOnly}
            onClick={props.onPublish}
            data-testid="publish"
          >
            {t('designer.top.publish')}
          </button>
        </span>
        <select
          className="sb-select"
          value={locale}
          onChange={(e) => setLocale(e.target.value as Locale)}
          aria-label={t('app.language')}
        >
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
        <a className="sb-btn sb-btn-ghost" href="/console/">
          {t('app.console')}
        </a>
      </div>
    </header>
  )
}
