import { useState } from 'react'
import { api, ApiError } from '../api/http'
import type { EditorApi } from '../editor/editor-api'
import type { FlowTest } from '../graph/document'
import { useI18n } from '../i18n'
import { outcomeOf, summary, testRequest, type TestOutcome } from './flow-tests'
import type { SimulationResult } from './simulation'

/** The flow's recorded tests, run against the document as drawn: pass/fail each, with the first difference. */
export function TestsView({ editor, onReplay }: { editor: EditorApi; onReplay(test: FlowTest): void }) {
  const { t } = useI18n()
  const [outcomes, setOutcomes] = useState<TestOutcome[] | null>(null)
  const [running, setRunning] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const tests = editor.getDocument().tests

  const runAll = async () => {
    setRunning(true)
    setError(null)
    try {
      const document = editor.getDocument()
      const results: TestOutcome[] = []
      for (const test of document.tests)
        results.push(
          outcomeOf(test, await api.post<SimulationResult>('/api/v1/flows/simulate', testRequest(document, test))),
        )
      setOutcomes(results)
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e))
    } finally {
      setRunning(false)
    }
  }

  const counts = outcomes ? summary(outcomes) : null
  return (
    <div className="sim-tests">
      <div className="sim-tests-head">
        <span>{t('simulator.tests.count', { n: tests.length })}</span>
        <button
          type="button"
          className="fp-btn fp-btn--small"
          disabled={running || !tests.length}
          onClick={() => void runAll()}
          data-testid="sim-run-tests"
        >
          {running ? t('simulator.running') : t('simulator.tests.runAll')}
        </button>
      </div>
      {counts && (
        <div
          className={`sim-tests-summary ${counts.failed ? 'is-failed' : 'is-passed'}`}
          data-testid="sim-tests-summary"
        >
          {t('simulator.tests.summary', { passed: counts.passed, failed: counts.failed })}
        </div>
      )}
      {error && <p className="fp-error">{error}</p>}
      {!tests.length && <p className="fp-empty">{t('simulator.tests.none')}</p>}
      <ul className="sim-test-list">
        {tests.map((test) => {
          const o = outcomes?.find((x) => x.name === test.name)
          return (
            <li
              key={test.name}
              className={`sim-test${o ? (o.passed ? ' is-passed' : ' is-failed') : ''}`}
              data-testid="sim-test"
            >
              <div className="sim-test-row">
                <span className="sim-test-mark">{o ? (o.passed ? '✓' : '✕') : '•'}</span>
                <span className="sim-test-name">{test.name}</span>
                <button type="button" className="fp-link" onClick={() => onReplay(test)}>
                  {t('simulator.tests.replay')}
                </button>
              </div>
              {o?.firstDifference && <div className="sim-test-diff">{o.firstDifference}</div>}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
