import { ReactFlowProvider } from '@xyflow/react'
import { useCallback, useEffect, useMemo, useState } from 'react'
import '../editor/side-panels'
import { FlowCanvas } from '../canvas/FlowCanvas'
import { reportSaveFailed, saveFailuresHandled, sidePanels } from '../editor/editor-api'
import { EditorStore } from '../editor/editor-store'
import { downloadText, flowClient } from '../editor/flow-client'
import { ProblemsPanel } from '../editor/ProblemsPanel'
import { TopBar } from '../editor/TopBar'
import { useEditorState } from '../editor/use-editor'
import { useShortcuts } from '../editor/use-shortcuts'
import { NodeForm } from '../forms/NodeForm'
import { flowFileName, serializeFlowFile } from '../graph/flow-file'
import type { NodeTypeInfo } from '../graph/node-types'
import { useI18n } from '../i18n'
import type { PageProps } from '../pages'
import { Palette } from '../palette/Palette'

/** The editor: top bar, palette, canvas, and the right panel (node form, problems, side panels). */
export function EditorPage({ page }: PageProps) {
  const { t } = useI18n()
  const flowId = page.name === 'editor' ? page.flowId : ''
  const [store, setStore] = useState<EditorStore | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    let created: EditorStore | null = null
    Promise.all([flowClient.get(flowId), flowClient.nodeTypes()])
      .then(([view, types]) => {
        if (!alive) return
        created = new EditorStore(view, new Map(types.map((x) => [x.type, x])))
        setStore(created)
      })
      .catch((e: Error) => alive && setFailed(e.message))
    return () => {
      alive = false
      created?.dispose()
    }
  }, [flowId])
  if (failed) return <div className="boot">{failed}</div>
  if (!store) return <div className="boot">{t('app.loading')}</div>
  return (
    <ReactFlowProvider>
      <Editor store={store} />
    </ReactFlowProvider>
  )
}

function Editor({ store }: { store: EditorStore }) {
  const { t, locale } = useI18n()
  const s = useEditorState(store)
  const [tab, setTab] = useState('node')
  const [toast, setToast] = useState<string | null>(null)
  const types = useMemo(() => [...store.nodeTypes.values()], [store])
  useEffect(() => {
    if (!toast) return
    const timer = setTimeout(() => setToast(null), 3500)
    return () => clearTimeout(timer)
  }, [toast])

  const save = useCallback(() => {
    store.save().catch((e: unknown) => reportSaveFailed(e, store))
  }, [store])
  const publish = useCallback(() => {
    store
      .publish()
      .then((v) => setToast(v ? t('designer.top.publishedToast', { v }) : t('designer.top.publishRefused')))
      .catch((e: unknown) => reportSaveFailed(e, store))
  }, [store, t])
  const exportFlow = useCallback(() => {
    const file = { name: s.meta.name, kind: s.meta.kind as never, description: '', document: store.getDocument() }
    void flowClient
      .exportFile(s.meta.id)
      .then((saved) =>
        downloadText(flowFileName(s.meta.name), serializeFlowFile({ ...file, description: saved.description })),
      )
      .catch(() => downloadText(flowFileName(s.meta.name), serializeFlowFile(file)))
  }, [s.meta, store])
  const shortcutActions = useMemo(() => ({ save, onTab: setTab }), [save])
  useShortcuts(store, shortcutActions)

  // selecting one node shows its form
  const selected = s.selection.size === 1 ? [...s.selection][0]! : null
  // …unless a side panel is open that selects nodes itself (the simulator's steps, the diff's changes)
  useEffect(() => {
    if (selected) setTab((current) => (current === 'node' || current === 'problems' ? 'node' : current))
  }, [selected])
  const node = selected ? s.document.nodes.find((n) => n.id === selected) : undefined
  const panels = sidePanels()
  const problemCount = s.problems.length
  return (
    <div className="sb-editor">
      <TopBar store={store} onSave={save} onPublish={publish} onExport={exportFlow} />
      {s.stale && !saveFailuresHandled() && (
        <div className="sb-banner sb-banner-warn" role="alert" data-testid="stale-banner">
          <span>
            {t('designer.stale.text', {
              time: new Date(s.stale.savedAt).toLocaleString(locale),
              rev: s.stale.currentRev,
            })}
          </span>
          <button type="button" className="sb-btn" onClick={() => void store.reload()}>
            {t('designer.stale.reload')}
          </button>
          <button type="button" className="sb-btn sb-btn-ghost" onClick={() => store.dismissStale()}>
            {t('designer.stale.keep')}
          </button>
        </div>
      )}
      {s.error && (
        <div className="sb-banner sb-banner-error" role="alert">
          <span>{s.error}</span>
          <button type="button" className="sb-btn sb-btn-ghost" onClick={() => store.dismissError()}>
            {t('designer.close')}
          </button>
        </div>
      )}
      <div className="sb-editor-body">
        <Palette
          types={types}
          disabled={s.readOnly || s.preview !== null}
          onAdd={(type) => store.addNodeOfType(type)}
        />
        <FlowCanvas store={store} onRefused={setToast} />
        <aside className="sb-side">
          <nav className="sb-tabs" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'node'}
              className={tab === 'node' ? 'is-active' : ''}
              onClick={() => setTab('node')}
            >
              {t('designer.tabs.node')}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'problems'}
              className={tab === 'problems' ? 'is-active' : ''}
              onClick={() => setTab('problems')}
              data-testid="problems-tab"
            >
              {t('designer.tabs.problems')}
              {problemCount > 0 && <span className="sb-tab-count">{problemCount}</span>}
            </button>
            {panels.map((p) => (
              <button
                key={p.id}
                type="button"
                role="tab"
                aria-selected={tab === p.id}
                className={tab === p.id ? 'is-active' : ''}
                onClick={() => setTab(p.id)}
              >
                {t(p.label)}
              </button>
            ))}
          </nav>
          <div className="sb-side-body">
            {tab === 'node' &&
              (node ? (
                <NodeForm
                  node={node}
                  info={store.nodeTypes.get(node.type) as NodeTypeInfo | undefined}
                  document={s.document}
                  problems={s.problemMap.byNode.get(node.id) ?? []}
                  fieldErrors={s.problemMap.fieldErrors(node.id)}
                  readOnly={s.readOnly || s.preview !== null}
                  onConfig={(config) => store.updateConfig(node.id, config)}
                  onTitle={(title) => store.updateTitle(node.id, title)}
                  onDelete={() => store.deleteNodes([node.id])}
                />
              ) : (
                <div className="sb-empty-state">
                  {s.selection.size > 1 ? t('designer.form.many', { n: s.selection.size }) : t('designer.form.none')}
                </div>
              ))}
            {tab === 'problems' && <ProblemsPanel store={store} />}
            {panels.map((p) => (
              <div key={p.id} hidden={tab !== p.id} className="sb-side-panel">
                <p.component editor={store} />
              </div>
            ))}
          </div>
        </aside>
      </div>
      {toast && (
        <div className="sb-toast" role="status">
          {toast}
        </div>
      )}
      {s.notice && (
        <div className="sb-toast sb-toast-ok" role="status" data-testid="notice">
          {t(`designer.notice.${s.notice.kind}`, { v: s.notice.text })}
        </div>
      )}
    </div>
  )
}
