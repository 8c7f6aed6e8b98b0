import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/http'
import type { EditorApi } from '../editor/editor-api'
import { useI18n } from '../i18n'
import { ConflictDialog } from '../collab/ConflictDialog'
import { EditorAvatars } from '../collab/EditorsPresence'
import { createPreview } from '../collab/preview'
import { usePresence } from '../collab/use-presence'
import '../collab/panel-kit.css'
import { diffOverlays, documentForDiff, type FlowDiff } from './diff'
import { DiffView } from './DiffView'
import { versionsApi, type VersionRef, type VersionRow } from './versions-api'
import './versions.css'

type Mode =
  | { kind: 'draft' }
  | { kind: 'viewing'; version: number }
  | { kind: 'diff'; from: VersionRef; to: VersionRef; diff: FlowDiff }

/** Draft and published versions: view an old one, diff two on the canvas, roll back. */
export function VersionsPanel({ editor }: { editor: EditorApi }) {
  const { t, locale } = useI18n()
  usePresence(editor)
  const [rows, setRows] = useState<VersionRow[] | null>(null)
  const [mode, setMode] = useState<Mode>({ kind: 'draft' })
  const [from, setFrom] = useState<VersionRef | ''>('')
  const [to, setTo] = useState<VersionRef>('draft')
  const [confirm, setConfirm] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const preview = useRef(createPreview(editor))
  const flowId = editor.flow.id

  const load = useCallback(async () => {
    try {
      const list = await versionsApi.list(flowId)
      setRows(list)
      setFrom((f) => (f === '' && list[0] ? list[0].version : f))
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e))
    }
  }, [flowId])
  useEffect(() => void load(), [load, editor.flow.publishedVersion])

  const backToDraft = useCallback(() => {
    preview.current.leave(t('versions.backToDraft'))
    editor.clearOverlays('diff')
    setMode({ kind: 'draft' })
  }, [editor, t])
  useEffect(() => () => preview.current.leave('unmount'), [])
  useEffect(() => () => editor.clearOverlays('diff'), [editor])

  const act = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  const view = (version: number) =>
    act(async () => {
      editor.clearOverlays('diff')
      editor.clearOverlays('simulator')
      const document = await versionsApi.document(flowId, version)
      preview.current.show(document, t('versions.viewing', { v: version }))
      setMode({ kind: 'viewing', version })
    })

  const compare = () =>
    act(async () => {
      if (from === '') return
      editor.clearOverlays('simulator')
      // drawn on the saved documents (the canvas may hold unsaved edits the server's diff does not know)
      const [diff, drawn] = await Promise.all([versionsApi.diff(flowId, from, to), versionsApi.document(flowId, to)])
      preview.current.show(documentForDiff(drawn, diff), t('versions.comparing', { from: label(from), to: label(to) }))
      editor.setOverlays(
        'diff',
        diffOverlays(diff, {
          added: t('versions.legend.added'),
          removed: t('versions.legend.removed'),
          changed: t('versions.legend.changed'),
        }),
      )
      setMode({ kind: 'diff', from, to, diff })
    })

  const rollback = (version: number) =>
    act(async () => {
      backToDraft()
      await versionsApi.rollback(flowId, version)
      setConfirm(null)
      await editor.reload()
      await load()
    })

  const label = (ref: VersionRef) => (ref === 'draft' ? t('versions.draft') : `v${ref}`)
  const who = (r: VersionRow) => r.createdBy?.name || r.createdBy?.email || t('versions.system')
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })

  return (
    <div className="ver" data-testid="versions">
      <div className="ver-state">
        <div className="ver-state-row">
          <span className="fp-badge">{t('versions.draftRev', { rev: editor.flow.revision })}</span>
          {editor.flow.publishedVersion ? (
            <span className="fp-badge fp-badge--ok">
              {t('versions.publishedV', { v: editor.flow.publishedVersion })}
            </span>
          ) : (
            <span className="fp-badge fp-badge--muted">{t('versions.notPublished')}</span>
          )}
          <span className="fp-grow" />
          <EditorAvatars max={3} />
        </div>
      </div>

      {mode.kind !== 'draft' && (
        <div className="ver-mode" role="status" data-testid="ver-mode">
          <span>
            {mode.kind === 'viewing'
              ? t('versions.viewingReadOnly', { v: mode.version })
              : t('versions.comparing', { from: label(mode.from), to: label(mode.to) })}
          </span>
          <button type="button" className="fp-btn fp-btn--small" onClick={backToDraft} data-testid="ver-back">
            {t('versions.backToDraft')}
          </button>
        </div>
      )}
      {error && <p className="fp-error">{error}</p>}

      <section className="ver-section">
        <h3 className="fp-subhead">{t('versions.compareTitle')}</h3>
        <div className="ver-compare">
          <select
            className="fp-input"
            value={String(from)}
            onChange={(e) => setFrom(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}
            aria-label={t('versions.from')}
            data-testid="diff-from"
          >
            {(rows ?? []).map((r) => (
              <option key={r.version} value={r.version}>
                v{r.version}
              </option>
            ))}
            <option value="draft">{t('versions.draft')}</option>
          </select>
          <span className="ver-arrow">→</span>
          <select
            className="fp-input"
            value={String(to)}
            onChange={(e) => setTo(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}
            aria-label={t('versions.to')}
            data-testid="diff-to"
          >
            <option value="draft">{t('versions.draft')}</option>
            {(rows ?? []).map((r) => (
              <option key={r.version} value={r.version}>
                v{r.version}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="fp-btn fp-btn--small fp-btn--primary"
            disabled={busy || from === '' || from === to}
            onClick={() => void compare()}
            data-testid="diff-run"
          >
            {t('versions.compare')}
          </button>
        </div>
        {mode.kind === 'diff' && <DiffView diff={mode.diff} editor={editor} />}
      </section>

      <section className="ver-section">
        <h3 className="fp-subhead">{t('versions.history')}</h3>
        {rows && !rows.length && <p className="fp-empty">{t('versions.none')}</p>}
        <ul className="ver-list" data-testid="version-list">
          {(rows ?? []).map((r) => (
            <li
              key={r.id}
              className={`ver-item${mode.kind === 'viewing' && mode.version === r.version ? ' is-on' : ''}`}
              data-version={r.version}
            >
              <div className="ver-item-head">
                <span className="ver-num">v{r.version}</span>
                {r.published && <span className="fp-badge fp-badge--ok">{t('versions.live')}</span>}
                <span className="fp-grow" />
                <span className="ver-when">{when(r.createdAt)}</span>
              </div>
              <div className="ver-item-meta">
                <span className="ver-who">{who(r)}</span>
                {r.note && <span className="ver-note">· {r.note}</span>}
              </div>
              {confirm === r.version ? (
                <div className="ver-confirm">
                  <span>{t('versions.confirmRollback', { v: r.version })}</span>
                  <button type="button" className="fp-btn fp-btn--small" onClick={() => setConfirm(null)}>
                    {t('versions.cancel')}
                  </button>
                  <button
                    type="button"
                    className="fp-btn fp-btn--small fp-btn--danger"
                    disabled={busy}
                    onClick={() => void rollback(r.version)}
                    data-testid="rollback-confirm"
                  >
                    {t('versions.rollback')}
                  </button>
                </div>
              ) : (
                <div className="ver-item-actions">
                  <button
                    type="button"
                    className="fp-link"
                    onClick={() => void view(r.version)}
                    data-testid="version-view"
                  >
                    {t('versions.view')}
                  </button>
                  <button
                    type="button"
                    className="fp-link"
                    onClick={() => {
                      setFrom(r.version)
                      setTo('draft')
                    }}
                  >
                    {t('versions.compareWithDraft')}
                  </button>
                  <button
                    type="button"
                    className="fp-link"
                    onClick={() => setConfirm(r.version)}
                    data-testid="version-rollback"
                  >
                    {t('versions.rollbackTo')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
      <ConflictDialog editor={editor} />
    </div>
  )
}
