import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/http'
import { downloadText, flowClient, type FlowSummary, type FlowTemplate } from '../editor/flow-client'
import { FLOW_KINDS, flowFileName, parseFlowFile, serializeFlowFile, uniqueFlowName } from '../graph/flow-file'
import { useI18n, type Locale } from '../i18n'
import type { PageProps } from '../pages'
import { navigate } from '../router'

/** The flows: status, create, delete, import and export, and the templates gallery. */
export function FlowListPage({ user }: PageProps) {
  const { t, locale, setLocale } = useI18n()
  const [flows, setFlows] = useState<FlowSummary[] | null>(null)
  const [templates, setTemplates] = useState<FlowTemplate[]>([])
  const [creating, setCreating] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const isAdmin = user.role === 'admin'

  const load = useCallback(() => {
    flowClient.list().then(setFlows, (e: Error) => setError(e.message))
  }, [])
  useEffect(() => {
    load()
    flowClient.templates().then(setTemplates, () => setTemplates([]))
  }, [load])

  const fail = (e: unknown) => setError(e instanceof ApiError ? e.message : t('errors.generic'))
  const taken = new Set((flows ?? []).map((f) => f.name))

  const useTemplate = async (tpl: FlowTemplate) => {
    try {
      const created = await flowClient.create({
        name: uniqueFlowName(tpl.name, taken),
        kind: tpl.kind,
        description: tpl.description,
        document: tpl.document,
      })
      navigate(`/flows/${encodeURIComponent(created.id)}`)
    } catch (e) {
      fail(e)
    }
  }
  const importFile = async (file: File) => {
    const parsed = parseFlowFile(await file.text(), file.name)
    if (!parsed.ok) return setError(t(`designer.list.importBad.${parsed.error}`))
    if (taken.has(parsed.file.name) && !confirm(t('designer.list.importReplace', { name: parsed.file.name }))) return
    try {
      const created = await flowClient.importFile(parsed.file)
      setError(null)
      navigate(`/flows/${encodeURIComponent(created.id)}`)
    } catch (e) {
      fail(e)
    }
  }
  const exportFlow = async (flow: FlowSummary) => {
    try {
      const file = await flowClient.exportFile(flow.id)
      downloadText(flowFileName(flow.name), serializeFlowFile(file))
    } catch (e) {
      fail(e)
    }
  }
  const remove = async (flow: FlowSummary) => {
    if (!confirm(t('designer.list.confirmDelete', { name: flow.name }))) return
    try {
      await flowClient.remove(flow.id)
      load()
    } catch (e) {
      fail(e)
    }
  }

  return (
    <div className="sb-page">
      <header className="sb-page-bar">
        <div className="sb-brand">
          <span className="sb-brand-mark" aria-hidden />
          {t('app.title')}
        </div>
        <div className="sb-ml-auto sb-topbar-group">
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
      <main className="sb-page-main">
        <div className="sb-page-head">
          <div>
            <h1>{t('designer.list.title')}</h1>
            <p className="sb-muted">{t('designer.list.subtitle')}</p>
          </div>
          {isAdmin && (
            <div className="sb-topbar-group">
              <input
                ref={fileInput}
                type="file"
                accept="application/json,.json"
                hidden
                data-testid="import-file"
                onChange={(e) => {
                  const file = e.target.files?.[0]
                  e.target.value = ''
                  if (file) void importFile(file)
                }}
              />
              <button type="button" className="sb-btn" onClick={() => fileInput.current?.click()}>
                {t('designer.list.import')}
              </button>
              <button type="button" className="sb-btn sb-btn-primary" onClick={() => setCreating(true)}>
                + {t('designer.list.create')}
              </button>
            </div>
          )}
        </div>
        {error && (
          <div className="sb-banner sb-banner-error" role="alert">
            <span>{error}</span>
            <button type="button" className="sb-btn sb-btn-ghost" onClick={() => setError(null)}>
              {t('designer.close')}
            </button>
          </div>
        )}
        {creating && <CreateFlowDialog taken={taken} onClose={() => setCreating(false)} onError={fail} />}
        <section className="sb-card">
          {flows === null ? (
            <div className="sb-empty-state">{t('app.loading')}</div>
          ) : flows.length === 0 ? (
            <div className="sb-empty-state">{t('designer.list.empty')}</div>
          ) : (
            <table className="sb-table" data-testid="flow-table">
              <thead>
                <tr>
                  <th>{t('designer.list.name')}</th>
                  <th>{t('designer.list.kind')}</th>
                  <th>{t('designer.list.status')}</th>
                  <th>{t('designer.list.updated')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {flows.map((f) => (
                  <tr key={f.id}>
                    <td>
                      <a
                        href={`/builder/flows/${encodeURIComponent(f.id)}`}
                        className="sb-flow-link"
                        onClick={(e) => {
                          e.preventDefault()
                          navigate(`/flows/${encodeURIComponent(f.id)}`)
                        }}
                      >
                        {f.name}
                      </a>
                      {f.description && <div className="sb-muted sb-small sb-clamp">{f.description}</div>}
                    </td>
                    <td>
                      <span className="sb-chip">{t(`designer.kind.${f.kind}`)}</span>
                    </td>
                    <td>
                      {f.publishedVersion ? (
                        <span className="sb-chip sb-chip-ok">
                          {t('designer.status.published', { v: f.publishedVersion })}
                        </span>
                      ) : (
                        <span className="sb-chip">{t('designer.status.neverPublished')}</span>
                      )}
                      {f.publishedVersion && f.draftChanged && (
                        <span className="sb-chip sb-chip-warn">{t('designer.status.draftChanges')}</span>
                      )}
                    </td>
                    <td className="sb-small">
                      <div>{new Date(f.updatedAt).toLocaleString(locale)}</div>
                      {f.updatedBy && <div className="sb-muted">{f.updatedBy}</div>}
                    </td>
                    <td className="sb-row-actions">
                      <button type="button" className="sb-btn sb-btn-ghost" onClick={() => void exportFlow(f)}>
                        {t('designer.list.export')}
                      </button>
                      {isAdmin && (
                        <button
                          type="button"
                          className="sb-btn sb-btn-ghost sb-btn-danger"
                          onClick={() => void remove(f)}
                        >
                          {t('designer.list.delete')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {isAdmin && templates.length > 0 && (
          <section className="sb-templates">
            <h2>{t('designer.templates.title')}</h2>
            <p className="sb-muted">{t('designer.templates.subtitle')}</p>
            <div className="sb-template-grid" data-testid="templates">
              {templates.map((tpl) => (
                <article key={tpl.id} className="sb-template-card" data-template={tpl.id}>
                  <div className="sb-template-top">
                    <span className="sb-chip">{t(`designer.kind.${tpl.kind}`)}</span>
                    <span className="sb-muted sb-small">{t('designer.templates.nodes', { n: tpl.nodeCount })}</span>
                  </div>
                  <h3>{tpl.name}</h3>
                  <p className="sb-clamp-3">{tpl.description}</p>
                  <button type="button" className="sb-btn" onClick={() => void useTemplate(tpl)}>
                    {t('designer.templates.use')}
                  </button>
                </article>
              ))}
            </div>
          </section>
        )}
      </main>
    </div>
  )
}

function CreateFlowDialog({
  taken,
  onClose,
  onError,
}: {
  taken: ReadonlySet<string>
  onClose(): void
  onError(e: unknown): void
}) {
  const { t } = useI18n()
  const [name, setName] = useState('')
  const [kind, setKind] = useState<string>('bot')
  const [busy, setBusy] = useState(false)
  const clash = taken.has(name.trim())
  return (
    <div className="sb-dialog-backdrop" onMouseDown={onClose}>
      <form
        className="sb-dialog"
        role="dialog"
        aria-label={t('designer.list.create')}
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          flowClient
            .create({ name: name.trim(), kind })
            .then((created) => navigate(`/flows/${encodeURIComponent(created.id)}`))
            .catch((err: unknown) => {
              setBusy(false)
              onError(err)
              onClose()
            })
        }}
      >
        <h2>{t('designer.list.create')}</h2>
        <label className="sb-label" htmlFor="new-flow-name">
          {t('designer.list.name')}
        </label>
        <input
          id="new-flow-name"
          className="sb-input"
          autoFocus
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
        />
        {clash && <div className="sb-field-error">{t('designer.list.nameTaken')}</div>}
        <label className="sb-label" htmlFor="new-flow-kind">
          {t('designer.list.kind')}
        </label>
        <select
          id="new-flow-kind"
          className="sb-select sb-input"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
        >
          {FLOW_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`designer.kind.${k}`)}
            </option>
          ))}
        </select>
        <div className="sb-dialog-actions">
          <button type="button" className="sb-btn sb-btn-ghost" onClick={onClose}>
            {t('designer.cancel')}
          </button>
          <button type="submit" className="sb-btn sb-btn-primary" disabled={!name.trim() || clash || busy}>
            {t('designer.list.createButton')}
          </button>
        </div>
      </form>
    </div>
  )
}
