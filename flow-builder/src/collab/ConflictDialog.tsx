import { useEffect, useRef, useState } from 'react'
import { api, ApiError } from '../api/http'
import { reportSaveFailed, type EditorApi } from '../editor/editor-api'
import type { FlowDocument } from '../graph/document'
import { useI18n } from '../i18n'
import { diffOverlays, documentForDiff } from '../versions/diff'
import { versionsApi } from '../versions/versions-api'
import { collab, useCollab } from './collab-store'
import { whoSaved } from './conflict'
import { createPreview } from './preview'

type Step = 'choose' | 'confirm-reload' | 'comparing' | 'confirm-overwrite'

/**
 * Someone else saved the draft while I was editing, and my save was refused. Nothing is
 * overwritten unless I choose so: reload theirs (mine is lost, after a confirmation), or see
 * mine against theirs on the canvas and then put mine on top of their latest revision.
 */
export function ConflictDialog({ editor }: { editor: EditorApi }) {
  const { t, locale } = useI18n()
  const { conflict, hosts } = useCollab()
  const [host, setHost] = useState(0)
  useEffect(() => {
    const id = collab.addHost()
    setHost(id)
    return () => collab.removeHost(id)
  }, [])
  const [step, setStep] = useState<Step>('choose')
  const [sameDrawing, setSameDrawing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const mine = useRef<FlowDocument | null>(null)
  const preview = useRef(createPreview(editor))

  useEffect(() => {
    if (conflict) {
      setStep('choose')
      setError(null)
    }
  }, [conflict])
  if (!conflict || hosts[0] !== host) return null

  const who = whoSaved(conflict) ?? t('collab.someoneElse')
  const when = conflict.savedAt ? new Date(conflict.savedAt).toLocaleString(locale) : ''
  const close = () => {
    preview.current.leave(t('collab.backToMine'))
    editor.clearOverlays('conflict')
    mine.current = null
    collab.setConflict(null)
  }

  const reloadTheirs = async () => {
    setBusy(true)
    preview.current.leave(t('collab.backToMine'))
    editor.clearOverlays('conflict')
    await editor.reload().catch((e: unknown) => setError(String(e)))
    setBusy(false)
    mine.current = null
    collab.setConflict(null)
  }

  const compare = async () => {
    setBusy(true)
    setError(null)
    try {
      mine.current ??= editor.getDocument()
      const theirs = (await api.get<{ draft: FlowDocument }>(`/api/v1/flows/${encodeURIComponent(editor.flow.id)}`))
        .draft
      const diff = await versionsApi.diffDrawings(theirs, mine.current)
      setSameDrawing(diff.same)
      editor.clearOverlays('simulator')
      preview.current.show(documentForDiff(mine.current, diff), t('collab.compare'))
      editor.setOverlays(
        'conflict',
        diffOverlays(diff, {
          added: t('collab.onlyMine'),
          removed: t('collab.onlyTheirs'),
          changed: t('versions.legend.changed'),
        }),
      )
      setStep('comparing')
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  /** Mine on top of their latest revision: re-read it first, then save mine from it. */
  const overwrite = async () => {
    setBusy(true)
    setError(null)
    const document = mine.current ?? editor.getDocument()
    preview.current.leave(t('collab.backToMine'))
    editor.clearOverlays('conflict')
    try {
      await editor.reload()
      editor.replaceDocument(document, t('collab.applyMine'))
      await editor.save()
      mine.current = null
      collab.setConflict(null)
    } catch (e) {
      reportSaveFailed(e, editor)
      setError(e instanceof ApiError ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  if (step === 'comparing')
    return (
      <div className="collab-bar" role="status" data-testid="conflict-compare">
        <span className="collab-bar-text">
          <b>{t('collab.comparing')}</b>
          {sameDrawing && <span className="collab-same">{t('collab.sameDrawing')}</span>}
          <span className="collab-legend">
            <i className="lg lg--added" /> {t('collab.onlyMine')} <i className="lg lg--removed" />{' '}
            {t('collab.onlyTheirs')} <i className="lg lg--changed" /> {t('versions.legend.changed')}
          </span>
        </span>
        <button type="button" className="fp-btn fp-btn--small" onClick={() => setStep('confirm-reload')}>
          {t('collab.reloadTheirs')}
        </button>
        <button
          type="button"
          className="fp-btn fp-btn--small fp-btn--danger"
          onClick={() => setStep('confirm-overwrite')}
        >
          {t('collab.applyMine')}
        </button>
        <button
          type="button"
          className="fp-btn fp-btn--small"
          onClick={() => {
            preview.current.leave(t('collab.backToMine'))
            editor.clearOverlays('conflict')
            setStep('choose')
          }}
        >
          {t('collab.back')}
        </button>
      </div>
    )

  return (
    <div className="fp-modal-backdrop">
      <div className="fp-modal" role="alertdialog" aria-labelledby="conflict-title" data-testid="conflict-dialog">
        <h2 id="conflict-title" className="fp-modal-title">
          {t('collab.conflictTitle')}
        </h2>
        <p className="fp-modal-text" data-testid="conflict-who">
          {t('collab.conflictText', { who, when, rev: conflict.currentRev, mine: conflict.yourRev })}
        </p>
        {step === 'confirm-reload' && <p className="fp-note fp-note--error">{t('collab.confirmReload')}</p>}
        {step === 'confirm-overwrite' && (
          <p className="fp-note fp-note--error">{t('collab.confirmOverwrite', { who, rev: conflict.currentRev })}</p>
        )}
        {error && <p className="fp-error">{error}</p>}
        <div className="fp-modal-actions">
          {step === 'choose' && (
            <>
              <button type="button" className="fp-btn" onClick={close}>
                {t('collab.keepEditing')}
              </button>
              <button
                type="button"
                className="fp-btn"
                disabled={busy}
                onClick={() => setStep('confirm-reload')}
                data-testid="conflict-reload"
              >
                {t('collab.reloadTheirs')}
              </button>
              <button
                type="button"
                className="fp-btn fp-btn--primary"
                disabled={busy}
                onClick={() => void compare()}
                data-testid="conflict-compare-button"
              >
                {t('collab.compare')}
              </button>
            </>
          )}
          {step === 'confirm-reload' && (
            <>
              <button type="button" className="fp-btn" onClick={() => setStep('choose')}>
                {t('collab.back')}
              </button>
              <button
                type="button"
                className="fp-btn fp-btn--danger"
                disabled={busy}
                onClick={() => void reloadTheirs()}
                data-testid="conflict-reload-confirm"
              >
                {t('collab.reloadLoseMine')}
              </button>
            </>
          )}
          {step === 'confirm-overwrite' && (
            <>
              <button type="button" className="fp-btn" onClick={() => setStep('choose')}>
                {t('collab.back')}
              </button>
              <button
                type="button"
                className="fp-btn fp-btn--danger"
                disabled={busy}
                onClick={() => void overwrite()}
                data-testid="conflict-overwrite-confirm"
              >
                {t('collab.saveAnyway')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  )
}
