import { useEffect, useRef } from 'react'
import { useI18n } from '../i18n'
import type { ChatItem, SimOutput } from './simulation'

/** The conversation: the customer on the right, the flow on the left, other outputs as chips. */
export function ChatView({
  items,
  busy,
  onQuickReply,
}: {
  items: ChatItem[]
  busy: boolean
  onQuickReply(text: string): void
}) {
  const { t } = useI18n()
  const end = useRef<HTMLDivElement>(null)
  // a block body: Chromium's scrollIntoView now returns a promise, which an effect must not
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' })
  }, [items.length])
  if (!items.length)
    return <div className="sim-chat sim-chat--empty">{busy ? t('simulator.running') : t('simulator.emptyChat')}</div>
  const lastBot = items.map((i) => i.kind).lastIndexOf('bot')
  return (
    <div className="sim-chat" data-testid="sim-chat">
      {items.map((item, i) => {
        switch (item.kind) {
          case 'customer':
            return (
              <div key={i} className="sim-row sim-row--me">
                <div className={`sim-bubble sim-bubble--me${item.input === 'digits' ? ' sim-bubble--digits' : ''}`}>
                  {item.text}
                </div>
                {item.refused && (
                  <div className="sim-refused" title={item.refused}>
                    {t('simulator.notWaiting')}
                  </div>
                )}
              </div>
            )
          case 'bot':
            return (
              <div key={i} className="sim-row">
                <div className="sim-bubble sim-bubble--bot" data-testid="sim-bot">
                  {item.text}
                </div>
                {i === lastBot && item.quickReplies?.length ? (
                  <div className="sim-quick">
                    {item.quickReplies.map((q) => (
                      <button key={q} type="button" className="fp-chip" onClick={() => onQuickReply(q)}>
                        {q}
                      </button>
                    ))}
                  </div>
                ) : null}
              </div>
            )
          case 'clock':
            return (
              <div key={i} className="sim-system">
                {t('simulator.clockMoved', { d: item.text })}
              </div>
            )
          case 'event':
            return (
              <div key={i} className="sim-system sim-system--output" data-testid="sim-output">
                <b>{outputTitle(item.output, t)}</b>
                {outputDetail(item.output) && <span>{outputDetail(item.output)}</span>}
              </div>
            )
          case 'end':
            return (
              <div key={i} className={`sim-end sim-end--${item.status}`}>
                {t(`simulator.status.${item.status}`)}
                {item.error && <span className="sim-end-error">{item.error}</span>}
              </div>
            )
        }
      })}
      {busy && (
        <div className="sim-typing" aria-label={t('simulator.running')}>
          <i />
          <i />
          <i />
        </div>
      )}
      <div ref={end} />
    </div>
  )
}

function outputTitle(output: SimOutput, t: (k: string, p?: Record<string, string | number>) => string): string {
  const key = `simulator.outputs.${output.kind}`
  const text = t(key)
  return text === key ? output.kind : text
}

function outputDetail(output: SimOutput): string {
  const { kind: _kind, ...rest } = output
  if (typeof rest.queue === 'string') return rest.queue
  const parts = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
  return parts.join(' · ').slice(0, 160)
}
