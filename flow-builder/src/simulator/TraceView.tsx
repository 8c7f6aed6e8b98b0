import type { EditorApi } from '../editor/editor-api'
import { useI18n } from '../i18n'
import { traceOf, type TraceStep } from './simulation'

const json = (v: unknown) => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 2))

/** The steps the run took, numbered as on the canvas; a click focuses the node and shows what it got and gave. */
export function TraceView({
  trace,
  editor,
  selected,
  onSelect: setSelected,
}: {
  trace: TraceStep[]
  editor: EditorApi
  selected: string | null
  onSelect(nodeId: string | null): void
}) {
  const { t } = useI18n()
  if (!trace.length) return <p className="fp-empty">{t('simulator.noTrace')}</p>
  const titles = new Map(editor.getDocument().nodes.map((n) => [n.id, n.title ?? n.id]))
  const visits = selected ? traceOf(trace, selected) : []
  return (
    <div className="sim-trace">
      <ol className="sim-steps" data-testid="sim-steps">
        {trace.map((step, i) => (
          <li key={step.seq}>
            <button
              type="button"
              className={`sim-step${selected === step.nodeId ? ' sim-step--on' : ''}${step.error ? ' sim-step--error' : ''}`}
              onClick={() => {
                setSelected(step.nodeId)
                editor.focusNode(step.nodeId)
              }}
            >
              <span className="sim-step-n">{i + 1}</span>
              <span className="sim-step-title">{titles.get(step.nodeId) ?? step.nodeId}</span>
              <span className="sim-step-type">{step.nodeType}</span>
              {step.port && <span className="sim-step-port">→ {step.port}</span>}
            </button>
          </li>
        ))}
      </ol>
      {selected && (
        <div className="sim-node-trace" data-testid="sim-node-trace">
          <div className="fp-subhead">
            {t('simulator.traceOf', { node: titles.get(selected) ?? selected })}
            <button type="button" className="fp-link" onClick={() => setSelected(null)}>
              ×
            </button>
          </div>
          {visits.map((v) => (
            <div key={v.seq} className="sim-visit">
              <div className="sim-visit-head">
                #{v.number} {v.port ? `→ ${v.port}` : ''} {v.error && <span className="fp-error">{v.error}</span>}
              </div>
              <div className="sim-io">
                <span className="fp-label">{t('simulator.input')}</span>
                <pre>{json(v.input)}</pre>
                <span className="fp-label">{t('simulator.output')}</span>
                <pre>{json(v.output)}</pre>
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  )
}

/** The run's variables now, as a table (values as JSON). */
export function VariablesView({ variables }: { variables: Record<string, unknown> }) {
  const { t } = useI18n()
  const entries = Object.entries(variables)
  if (!entries.length) return <p className="fp-empty">{t('simulator.noVariables')}</p>
  return (
    <table className="sim-vars" data-testid="sim-vars">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th>{name}</th>
            <td>
              <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
