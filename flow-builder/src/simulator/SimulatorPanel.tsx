import { useEffect, useMemo, useState } from 'react'
import { ApiError } from '../api/http'
import { reportSaveFailed, type EditorApi } from '../editor/editor-api'
import type { FlowTest } from '../graph/document'
import { staleSaveOf } from '../collab/conflict'
import { useI18n } from '../i18n'
import '../collab/panel-kit.css'
import { ChatView } from './ChatView'
import { SetupEditor } from './SetupEditor'
import { SimInput } from './SimInput'
import { TestsView } from './TestsView'
import { TraceView, VariablesView } from './TraceView'
import { chatItems, freeTestName, setupFromTest, toFlowTest, withTest, type InputStep } from './simulation'
import './simulator.css'
import { useSimulation } from './use-simulation'

type Tab = 'path' | 'variables' | 'tests'
const keptTab = new Map<string, Tab>()

/** Chat with the flow as drawn, watch its path on the canvas, keep the conversation as a test. */
export function SimulatorPanel({ editor }: { editor: EditorApi }) {
  const { t } = useI18n()
  const sim = useSimulation(editor)
  const [tab, setTab] = useState<Tab>(() => keptTab.get(editor.flow.id) ?? 'path')
  useEffect(() => void keptTab.set(editor.flow.id, tab), [editor.flow.id, tab])
  const [setupOpen, setSetupOpen] = useState(false)
  const [naming, setNaming] = useState<string | null>(null)
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)
  const items = useMemo(() => chatItems(sim.steps, sim.result), [sim.steps, sim.result])
  const started = sim.result !== null || sim.busy

  const saveAsTest = async (name: string) => {
    if (!sim.result) return
    const test = toFlowTest(name, sim.setup, sim.steps, sim.result)
    editor.replaceDocument(withTest(editor.getDocument(), test), t('simulator.saveAsTest'))
    setNaming(null)
    try {
      await editor.save()
      setNote({ ok: true, text: t('simulator.testSaved', { name }) })
      setTab('tests')
    } catch (e) {
      reportSaveFailed(e, editor)
      // a stale save gets the conflict dialog (who saved, the ways out); other failures are said here
      if (!staleSaveOf(e)) setNote({ ok: false, text: e instanceof ApiError ? e.message : String(e) })
    }
  }

  const replay = (test: FlowTest) => {
    const inputs = test.steps.filter((s): s is InputStep => 'say' in s || 'digits' in s || 'advance' in s)
    sim.restart(setupFromTest(test, sim.setup.channel), inputs)
  }

  return (
    <div className="sim" data-testid="simulator">
      <div className="sim-toolbar">
        <span className={`fp-badge fp-badge--${sim.setup.channel}`}>{t(`simulator.channel.${sim.setup.channel}`)}</span>
        {sim.result && (
          <span className={`fp-status fp-status--${sim.result.status}`}>
            {t(`simulator.status.${sim.result.status}`)}
          </span>
        )}
        <span className="fp-grow" />
        <button
          type="button"
          className="fp-btn fp-btn--small"
          onClick={() => setSetupOpen(!setupOpen)}
          aria-expanded={setupOpen}
        >
          {t('simulator.setupButton')}
        </button>
        <button type="button" className="fp-btn fp-btn--small" onClick={() => sim.restart()} data-testid="sim-restart">
          {started ? t('simulator.restart') : t('simulator.start')}
        </button>
        <button
          type="button"
          className="fp-btn fp-btn--small"
          disabled={!sim.result || sim.busy}
          onClick={() => setNaming(freeTestName(editor.getDocument(), t('simulator.defaultTestName')))}
          data-testid="sim-save-test"
        >
          {t('simulator.saveAsTest')}
        </button>
      </div>

      {naming !== null && (
        <form
          className="sim-name"
          onSubmit={(e) => {
            e.preventDefault()
            if (naming.trim()) void saveAsTest(naming.trim())
          }}
        >
          <input
            className="fp-input"
            value={naming}
            autoFocus
            aria-label={t('simulator.testName')}
            onChange={(e) => setNaming(e.target.value)}
          />
          <button type="submit" className="fp-btn fp-btn--primary fp-btn--small" data-testid="sim-save-test-confirm">
            {t('simulator.saveTest')}
          </button>
          <button type="button" className="fp-btn fp-btn--small" onClick={() => setNaming(null)}>
            {t('simulator.cancel')}
          </button>
        </form>
      )}
      {note && (
        <div className={`fp-note ${note.ok ? 'fp-note--ok' : 'fp-note--error'}`} role="status">
          {note.text}
          <button type="button" className="fp-link" onClick={() => setNote(null)}>
            ×
          </button>
        </div>
      )}

      {setupOpen ? (
        <SetupEditor
          setup={sim.setup}
          tests={editor.getDocument().tests}
          onCancel={() => setSetupOpen(false)}
          onApply={(setup) => {
            setSetupOpen(false)
            sim.restart(setup)
          }}
        />
      ) : (
        <>
          <ChatView items={items} busy={sim.busy} onQuickReply={(text) => sim.send({ say: text })} />
          {sim.error && <p className="fp-error sim-error">{sim.error}</p>}
          {started ? (
            <SimInput channel={sim.setup.channel} disabled={sim.busy} onSend={sim.send} />
          ) : (
            <div className="sim-start">
              <button
                type="button"
                className="fp-btn fp-btn--primary"
                onClick={() => sim.restart()}
                data-testid="sim-start"
              >
                {t('simulator.start')}
              </button>
            </div>
          )}
        </>
      )}

      <div className="sim-details">
        <div className="fp-tabs" role="tablist">
          {(['path', 'variables', 'tests'] as const).map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className="fp-tab"
              onClick={() => setTab(id)}
              data-tab={id}
            >
              {t(`simulator.tabs.${id}`)}
              {id === 'path' && sim.result ? <span className="fp-count">{sim.result.trace.length}</span> : null}
              {id === 'tests' ? <span className="fp-count">{editor.getDocument().tests.length}</span> : null}
            </button>
          ))}
        </div>
        <div className="sim-details-body">
          {tab === 'path' && (
            <TraceView trace={sim.result?.trace ?? []} editor={editor} selected={sim.traced} onSelect={sim.setTraced} />
          )}
          {tab === 'variables' && <VariablesView variables={sim.result?.variables ?? {}} />}
          {tab === 'tests' && <TestsView editor={editor} onReplay={replay} />}
        </div>
      </div>
    </div>
  )
}
