import { useCallback, useEffect, useMemo, useState } from 'react'
import { ApiError } from '../api/http'
import type { EditorApi } from '../editor/editor-api'
import { useI18n, type Locale } from '../i18n'
import '../collab/panel-kit.css'
import {
  COMMON_TOPICS,
  splitDelay,
  triggersApi,
  type ChannelInfo,
  type TriggerInput,
  type TriggerRow,
} from './triggers-api'
import './triggers.css'

type Kind = TriggerInput['kind']
type DelayUnit = 'm' | 'h' | 'd'

interface Conflict {
  channel: string
  message: string
}

/** "Phone (voice)", "电话（voice）": the channel's title with the name a trigger uses. */
const channelTitle = (channels: ChannelInfo[], name: string, locale: Locale) => {
  const title = channels.find((c) => c.name === name)?.title[locale]
  if (!title || title.toLowerCase() === name) return name
  return locale === 'zh-CN' ? `${title}（${name}）` : `${title} (${name})`
}

/**
 * "What starts this flow": the flow's triggers (channel entry, event with a delay, cron schedule),
 * added and removed by admins; everyone else sees them read-only. A channel has one entry flow:
 * when another flow has it, the core refuses with 409 and the panel offers to move it here.
 */
export function TriggersPanel({ editor }: { editor: EditorApi }) {
  const { t, locale } = useI18n()
  const flowId = editor.flow.id
  const [rows, setRows] = useState<TriggerRow[] | null>(null)
  const [channels, setChannels] = useState<ChannelInfo[]>([])
  const [admin, setAdmin] = useState(false)
  const [topics, setTopics] = useState<string[]>(COMMON_TOPICS)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [conflict, setConflict] = useState<Conflict | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    const [list, chans] = await Promise.all([triggersApi.list(flowId), triggersApi.channels()])
    setRows(list)
    setChannels(chans)
    return chans
  }, [flowId])

  useEffect(() => {
    let alive = true
    load().catch((e: unknown) => alive && setError(messageOf(e)))
    triggersApi
      .me()
      .then((me) => {
        if (!alive || me.role !== 'admin') return
        setAdmin(true)
        return triggersApi.eventTypes().then((types) => alive && setTopics(types.map((x) => x.type)))
      })
      .catch(() => {})
    return () => {
      alive = false
    }
  }, [load])

  const act = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    setNotice(null)
    try {
      await work()
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
    }
  }

  const create = (input: TriggerInput) =>
    act(async () => {
      setConflict(null)
      try {
        await triggersApi.create(flowId, input)
      } catch (e) {
        if (e instanceof ApiError && e.status === 409 && input.kind === 'channel-entry') {
          await load()
          setConflict({ channel: input.config.channel, message: e.message })
          return
        }
        throw e
      }
      await load()
      setNotice(t('triggers.added'))
    })

  /** Removes the other flow's entry trigger for the channel, then makes this flow the entry. */
  const moveHere = (channel: string) =>
    act(async () => {
      const current = (await load()).find((c) => c.name === channel)?.entryFlow
      if (current && current.flowId !== flowId) await triggersApi.remove(current.flowId, current.triggerId)
      await triggersApi.create(flowId, { kind: 'channel-entry', config: { channel } })
      setConflict(null)
      await load()
      setNotice(t('triggers.conflict.moved', { channel: channelTitle(channels, channel, locale) }))
    })

  const remove = (row: TriggerRow) =>
    act(async () => {
      await triggersApi.remove(flowId, row.id)
      await load()
      setNotice(t('triggers.removed'))
    })

  const conflictFlow = conflict ? channels.find((c) => c.name === conflict.channel)?.entryFlow : null

  return (
    <div className="trg" data-testid="triggers">
      <header className="trg-head">
        <h3 className="trg-title">{t('triggers.title')}</h3>
        <p className="fp-hint trg-intro">{t('triggers.intro')}</p>
      </header>
      {editor.flow.publishedVersion === null && (
        <p className="trg-warn" role="status" data-testid="triggers-unpublished">
          {t('triggers.unpublished')}
        </p>
      )}
      {!admin && rows && (
        <p className="fp-hint trg-readonly" data-testid="triggers-readonly">
          {t('triggers.readOnly')}
        </p>
      )}
      {error && (
        <p className="fp-note fp-note--error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="fp-note fp-note--ok" role="status" data-testid="triggers-notice">
          {notice}
        </p>
      )}
      {conflict && (
        <div className="trg-conflict" role="alert" data-testid="trigger-conflict">
          <p className="trg-conflict-text">
            {t('triggers.conflict.text', {
              channel: channelTitle(channels, conflict.channel, locale),
              flow: conflictFlow?.flowName ?? '?',
            })}
          </p>
          <p className="trg-conflict-server">{t('triggers.conflict.server', { message: conflict.message })}</p>
          <div className="fp-actions">
            <button type="button" className="fp-btn fp-btn--small" onClick={() => setConflict(null)}>
              {t('triggers.conflict.cancel')}
            </button>
            <button
              type="button"
              className="fp-btn fp-btn--small fp-btn--primary"
              disabled={busy}
              onClick={() => void moveHere(conflict.channel)}
              data-testid="trigger-move-here"
            >
              {t('triggers.conflict.move')}
            </button>
          </div>
        </div>
      )}

      <section className="trg-section">
        {rows === null && !error && <p className="fp-empty">{t('triggers.loading')}</p>}
        {rows && !rows.length && <p className="fp-empty">{t('triggers.none')}</p>}
        <ul className="trg-list" data-testid="trigger-list">
          {(rows ?? []).map((row) => (
            <li key={row.id} className="trg-item" data-testid="trigger" data-kind={row.kind}>
              <div className="trg-item-head">
                <span className={`fp-badge trg-kind trg-kind--${row.kind}`}>{t(`triggers.kind.${row.kind}`)}</span>
                {!row.enabled && <span className="fp-badge fp-badge--muted">{t('triggers.disabled')}</span>}
                <span className="fp-grow" />
                {admin && (
                  <button
                    type="button"
                    className="fp-link fp-link--danger"
                    disabled={busy}
                    onClick={() => void remove(row)}
                    data-testid="trigger-remove"
                  >
                    {t('triggers.remove')}
                  </button>
                )}
              </div>
              <div className="trg-item-text">{describe(row, channels, t, locale)}</div>
              {row.kind === 'schedule' && <NextRuns cron={row.config.cron} timezone={row.config.timezone} />}
            </li>
          ))}
        </ul>
      </section>

      {admin && (
        <AddTrigger flowId={flowId} channels={channels} topics={topics} busy={busy} onCreate={(i) => void create(i)} />
      )}
    </div>
  )
}

function describe(
  row: TriggerRow,
  channels: ChannelInfo[],
  t: (key: string, params?: Record<string, string | number>) => string,
  locale: Locale,
): string {
  if (row.kind === 'channel-entry')
    return t('triggers.describe.channel', { channel: channelTitle(channels, row.config.channel, locale) })
  if (row.kind === 'event') return t('triggers.describe.event', { topic: row.config.topic, delay: delayText(row, t) })
  return t('triggers.describe.schedule', { cron: row.config.cron, timezone: row.config.timezone })
}

function delayText(
  row: Extract<TriggerRow, { kind: 'event' }>,
  t: (key: string, params?: Record<string, string | number>) => string,
): string {
  const { amount, unit } = splitDelay(row.config.delay)
  return amount
    ? t('triggers.delay.later', { amount, unit: t(`triggers.delay.unit.${unit}`) })
    : t('triggers.delay.now')
}

function AddTrigger(props: {
  flowId: string
  channels: ChannelInfo[]
  topics: string[]
  busy: boolean
  onCreate(input: TriggerInput): void
}) {
  const { t, locale } = useI18n()
  const [kind, setKind] = useState<Kind>('channel-entry')
  const [channel, setChannel] = useState('')
  const [topic, setTopic] = useState('conversation.resolved')
  const [amount, setAmount] = useState('72')
  const [unit, setUnit] = useState<DelayUnit>('h')
  const [cron, setCron] = useState('0 9 * * 1-5')
  const [timezone, setTimezone] = useState('Asia/Shanghai')
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), [])
  const free = props.channels.filter((c) => c.entryFlow?.flowId !== props.flowId)
  const chosen = free.some((c) => c.name === channel) ? channel : (free[0]?.name ?? '')

  const submit = () => {
    if (kind === 'channel-entry') props.onCreate({ kind, config: { channel: chosen } })
    if (kind === 'event') {
      const n = Number(amount)
      props.onCreate({ kind, config: { topic: topic.trim(), delay: n > 0 ? `${n}${unit}` : 0 } })
    }
    if (kind === 'schedule') props.onCreate({ kind, config: { cron: cron.trim(), timezone: timezone.trim() } })
  }

  return (
    <section className="trg-section trg-add" data-testid="trigger-add">
      <h3 className="fp-subhead">{t('triggers.add.title')}</h3>
      <label className="fp-field">
        <span className="fp-label">{t('triggers.add.kind')}</span>
        <select
          className="fp-input"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          data-testid="trigger-kind"
        >
          {(['channel-entry', 'event', 'schedule'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`triggers.add.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>

      {kind === 'channel-entry' && (
        <label className="fp-field">
          <span className="fp-label">{t('triggers.add.channel')}</span>
          <select
            className="fp-input"
            value={chosen}
            onChange={(e) => setChannel(e.target.value)}
            data-testid="trigger-channel"
          >
            {props.channels.map((c) => (
              <option key={c.name} value={c.name} disabled={c.entryFlow?.flowId === props.flowId}>
                {channelTitle(props.channels, c.name, locale)}
                {c.entryFlow
                  ? ` — ${
                      c.entryFlow.flowId === props.flowId
                        ? t('triggers.add.channelThis')
                        : t('triggers.add.channelNow', { flow: c.entryFlow.flowName })
                    }`
                  : ''}
                {!c.enabled ? ` — ${t('triggers.add.channelPluginOff')}` : ''}
              </option>
            ))}
          </select>
          <span className="fp-hint trg-field-hint">{t('triggers.add.channelHint')}</span>
        </label>
      )}

      {kind === 'event' && (
        <>
          <label className="fp-field">
            <span className="fp-label">{t('triggers.add.topic')}</span>
            <input
              className="fp-input fp-code"
              list="trg-topics"
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              data-testid="trigger-topic"
            />
            <datalist id="trg-topics">
              {props.topics.map((x) => (
                <option key={x} value={x} />
              ))}
            </datalist>
            <span className="fp-hint trg-field-hint">{t('triggers.add.topicHint')}</span>
          </label>
          <div className="fp-field">
            <span className="fp-label">{t('triggers.add.delay')}</span>
            <div className="fp-row">
              <input
                className="fp-input trg-amount"
                type="number"
                min={0}
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                aria-label={t('triggers.add.delay')}
                data-testid="trigger-delay"
              />
              <select
                className="fp-input"
                value={unit}
                onChange={(e) => setUnit(e.target.value as DelayUnit)}
                data-testid="trigger-delay-unit"
              >
                {(['m', 'h', 'd'] as const).map((u) => (
                  <option key={u} value={u}>
                    {t(`triggers.delay.unit.${u}`)}
                  </option>
                ))}
              </select>
            </div>
            <span className="fp-hint trg-field-hint">{t('triggers.add.delayHint')}</span>
          </div>
        </>
      )}

      {kind === 'schedule' && (
        <>
          <label className="fp-field">
            <span className="fp-label">{t('triggers.add.cron')}</span>
            <input
              className="fp-input fp-code"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              data-testid="trigger-cron"
            />
            <span className="fp-hint trg-field-hint">{t('triggers.add.cronHint')}</span>
          </label>
          <label className="fp-field">
            <span className="fp-label">{t('triggers.add.timezone')}</span>
            <input
              className="fp-input"
              list="trg-zones"
              value={timezone}
              onChange={(e) => setTimezone(e.target.value)}
              data-testid="trigger-timezone"
            />
            <datalist id="trg-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
          <NextRuns cron={cron} timezone={timezone} live />
        </>
      )}

      <div className="fp-actions">
        <button
          type="button"
          className="fp-btn fp-btn--primary"
          disabled={props.busy || (kind === 'channel-entry' && !chosen)}
          onClick={submit}
          data-testid="trigger-submit"
        >
          {t('triggers.add.submit')}
        </button>
      </div>
    </section>
  )
}

/** The next three runs of a schedule as the core computes them, in the schedule's time zone. */
function NextRuns({ cron, timezone, live = false }: { cron: string; timezone: string; live?: boolean }) {
  const { t, locale } = useI18n()
  const [runs, setRuns] = useState<string[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    const timer = setTimeout(
      () =>
        triggersApi
          .schedulePreview(cron.trim(), timezone.trim())
          .then((r) => {
            if (!alive) return
            setRuns(r.next)
            setProblem(null)
          })
          .catch((e: unknown) => {
            if (!alive) return
            setRuns(null)
            setProblem(messageOf(e))
          }),
      live ? 300 : 0,
    )
    return () => {
      alive = false
      clearTimeout(timer)
    }
  }, [cron, timezone, live])
  const when = (iso: string) => {
    try {
      return new Date(iso).toLocaleString(locale, {
        timeZone: timezone,
        weekday: 'short',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
    } catch {
      return new Date(iso).toLocaleString(locale)
    }
  }
  if (problem)
    return (
      <p className="fp-error" data-testid="trigger-next-runs-error">
        {problem}
      </p>
    )
  if (!runs) return null
  return (
    <div className="trg-runs" data-testid="trigger-next-runs">
      <span className="fp-label">{t('triggers.add.nextRuns')}</span>
      <ol>
        {runs.map((r) => (
          <li key={r}>{when(r)}</li>
        ))}
      </ol>
    </div>
  )
}

function messageOf(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e)
}
