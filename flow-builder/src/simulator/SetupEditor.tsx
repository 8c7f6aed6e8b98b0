import { useState } from 'react'
import type { FlowTest } from '../graph/document'
import { useI18n } from '../i18n'
import { setupFromTest, type SimulationMocks, type SimulationSetup } from './simulation'

type JsonField = 'vars' | 'contact' | 'actions' | 'http' | 'queues'

const show = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v, null, 2))

/** Parses a JSON object field; '' is "none". Returns the value or the parse error. */
function parseObject(text: string): { value: Record<string, unknown> | undefined } | { error: string } {
  if (!text.trim()) return { value: undefined }
  try {
    const value = JSON.parse(text) as unknown
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'object' }
    return { value: value as Record<string, unknown> }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

/** What the simulated run starts with: channel, clock, variables, contact, and the mocks for plugin actions, HTTP and queues. */
export function SetupEditor({
  setup,
  tests,
  onApply,
  onCancel,
}: {
  setup: SimulationSetup
  tests: FlowTest[]
  onApply(setup: SimulationSetup): void
  onCancel(): void
}) {
  const { t } = useI18n()
  const [channel, setChannel] = useState(setup.channel)
  const [now, setNow] = useState(setup.now)
  const [fields, setFields] = useState<Record<JsonField, string>>({
    vars: show(Object.keys(setup.vars).length ? setup.vars : null),
    contact: show(setup.contact),
    actions: show(setup.mocks.actions),
    http: show(setup.mocks.http),
    queues: show(setup.mocks.queues),
  })
  const parsed = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, parseObject(v)])) as Record<
    JsonField,
    ReturnType<typeof parseObject>
  >
  const invalid = Object.values(parsed).some((p) => 'error' in p) || (now !== '' && Number.isNaN(Date.parse(now)))
  const value = (k: JsonField) =>
    'value' in parsed[k] ? (parsed[k] as { value: Record<string, unknown> | undefined }).value : undefined

  const fromTest = (name: string) => {
    const test = tests.find((x) => x.name === name)
    if (!test) return
    const s = setupFromTest(test, channel)
    setChannel(s.channel)
    setNow(s.now)
    setFields({
      vars: show(Object.keys(s.vars).length ? s.vars : null),
      contact: show(s.contact),
      actions: show(s.mocks.actions),
      http: show(s.mocks.http),
      queues: show(s.mocks.queues),
    })
  }

  const apply = () => {
    const mocks: SimulationMocks = {}
    if (value('actions')) mocks.actions = value('actions')
    if (value('http')) mocks.http = value('http') as SimulationMocks['http']
    if (value('queues')) mocks.queues = value('queues') as SimulationMocks['queues']
    onApply({
      channel,
      now: now ? new Date(now).toISOString() : '',
      vars: value('vars') ?? {},
      contact: value('contact') ?? null,
      mocks,
    })
  }

  const area = (k: JsonField, placeholder: string) => (
    <label className="fp-field" key={k}>
      <span className="fp-label">{t(`simulator.setup.${k}`)}</span>
      <textarea
        className={`fp-input fp-code${'error' in parsed[k] ? ' fp-input--error' : ''}`}
        rows={k === 'actions' || k === 'http' ? 4 : 2}
        spellCheck={false}
        value={fields[k]}
        placeholder={placeholder}
        onChange={(e) => setFields({ ...fields, [k]: e.target.value })}
        data-field={k}
      />
      {'error' in parsed[k] && <span className="fp-error">{t('simulator.setup.notJson')}</span>}
    </label>
  )

  return (
    <div className="sim-setup" data-testid="sim-setup">
      {tests.length > 0 && (
        <label className="fp-field">
          <span className="fp-label">{t('simulator.setup.fromTest')}</span>
          <select className="fp-input" value="" onChange={(e) => fromTest(e.target.value)}>
            <option value="">—</option>
            {tests.map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="fp-row">
        <label className="fp-field">
          <span className="fp-label">{t('simulator.setup.channel')}</span>
          <select className="fp-input" value={channel} onChange={(e) => setChannel(e.target.value as 'text' | 'voice')}>
            <option value="text">{t('simulator.channel.text')}</option>
            <option value="voice">{t('simulator.channel.voice')}</option>
          </select>
        </label>
        <label className="fp-field">
          <span className="fp-label">{t('simulator.setup.now')}</span>
          <input
            className="fp-input"
            value={now}
            placeholder={t('simulator.setup.nowPlaceholder')}
            onChange={(e) => setNow(e.target.value)}
            aria-invalid={now !== '' && Number.isNaN(Date.parse(now))}
          />
        </label>
      </div>
      {area('vars', '{ "language": "en" }')}
      {area('contact', '{ "name": "李女士", "phone": "+86 138 0013 8000", "tags": ["vip"] }')}
      <div className="fp-subhead">{t('simulator.setup.mocks')}</div>
      <p className="fp-hint">{t('simulator.setup.mocksHint')}</p>
      {area('actions', '{ "erp.getOrder": { "state": "shipped" } }')}
      {area('http', '{ "GET https://api.example.com/x": { "status": 200, "body": {} } }')}
      {area('queues', '{ "After-sales": { "open": false } }')}
      <div className="fp-actions">
        <button type="button" className="fp-btn" onClick={onCancel}>
          {t('simulator.cancel')}
        </button>
        <button
          type="button"
          className="fp-btn fp-btn--primary"
          disabled={invalid}
          onClick={apply}
          data-testid="sim-setup-apply"
        >
          {t('simulator.setup.apply')}
        </button>
      </div>
    </div>
  )
}
