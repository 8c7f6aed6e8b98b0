import { useEffect, useState } from 'react'
import type { EditorApi } from '../editor/editor-api'
import { useI18n } from '../i18n'
import { collab, useCollab } from './collab-store'
import { ConflictDialog } from './ConflictDialog'
import './collab.css'
import './panel-kit.css'
import { colourOf, initials, otherEditors } from './presence'
import { socketId } from './realtime'
import { usePresence } from './use-presence'

/** The avatars of the other people who have this flow open. */
export function EditorAvatars({ max = 4 }: { max?: number }) {
  const { t } = useI18n()
  const { editors, me } = useCollab()
  const others = me ? otherEditors(editors, { userId: me.userId, key: socketId() }) : []
  if (!others.length) return null
  const shown = others.slice(0, max)
  return (
    <div
      className="collab-avatars"
      data-testid="editors-presence"
      aria-label={t('collab.alsoEditing', { names: others.map((e) => e.name).join(', ') })}
    >
      {shown.map((e) => (
        <span
          key={e.key}
          className="collab-avatar"
          style={{ background: colourOf(e.userId) }}
          title={`${e.name} · ${e.email}`}
          data-email={e.email}
        >
          {initials(e.name)}
        </span>
      ))}
      {others.length > max && <span className="collab-avatar collab-avatar--more">+{others.length - max}</span>}
    </div>
  )
}

/**
 * The editor's top-bar widget (registered in src/editor/side-panels.ts): who else is editing,
 * "X saved a new draft" notices as they happen, and the stale-save conflict dialog.
 */
export function EditorsPresence({ editor }: { editor: EditorApi }) {
  const { t, locale } = useI18n()
  usePresence(editor)
  const { notices } = useCollab()
  const [, tick] = useState(0)
  const [confirming, setConfirming] = useState(false)
  // relative times in the notice stay fresh
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 30_000)
    return () => clearInterval(id)
  }, [])
  const latest = notices.at(-1)
  return (
    <div className="collab" data-testid="collab-widget">
      <EditorAvatars />
      {latest && (
        <div className="collab-notice" role="status" data-testid="draft-saved-notice">
          <span>
            {t('collab.savedNotice', {
              who: latest.by.name || latest.by.email || t('collab.someoneElse'),
              rev: latest.rev,
              time: new Date(latest.at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }),
            })}
          </span>
          {confirming ? (
            <>
              <span className="collab-warn">{t('collab.confirmReload')}</span>
              <button
                type="button"
                className="fp-link fp-link--danger"
                onClick={() => void editor.reload().then(() => (setConfirming(false), collab.dismissNotices()))}
              >
                {t('collab.reloadLoseMine')}
              </button>
            </>
          ) : (
            <button type="button" className="fp-link" onClick={() => setConfirming(true)}>
              {t('collab.reload')}
            </button>
          )}
          <button
            type="button"
            className="fp-link"
            aria-label={t('collab.dismiss')}
            onClick={() => collab.dismissNotices()}
          >
            ×
          </button>
        </div>
      )}
      <ConflictDialog editor={editor} />
    </div>
  )
}
