import { useState, type FormEvent } from 'react'
import { useI18n } from '../i18n'
import { isDuration, type InputStep } from './simulation'

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']

/** What the customer does next: type a message, press keys (voice), or let time pass. */
export function SimInput({
  channel,
  disabled,
  onSend,
}: {
  channel: 'text' | 'voice'
  disabled: boolean
  onSend(step: InputStep): void
}) {
  const { t } = useI18n()
  const [text, setText] = useState('')
  const [digits, setDigits] = useState('')
  const [custom, setCustom] = useState('')
  const [clockOpen, setClockOpen] = useState(false)

  const submitText = (e: FormEvent) => {
    e.preventDefault()
    if (!text.trim()) return
    onSend({ say: text })
    setText('')
  }
  const submitDigits = () => {
    if (!digits) return
    onSend({ digits })
    setDigits('')
  }
  const advance = (d: string) => {
    onSend({ advance: d })
    setClockOpen(false)
    setCustom('')
  }

  return (
    <div className="sim-input">
      {channel === 'voice' ? (
        <div className="sim-keypad-wrap">
          <div className="sim-digits" aria-live="polite">
            <span data-testid="sim-digits">{digits || t('simulator.pressKeys')}</span>
            {digits && (
              <button type="button" className="fp-link" onClick={() => setDigits(digits.slice(0, -1))}>
                ⌫
              </button>
            )}
          </div>
          <div className="sim-keypad" role="group" aria-label={t('simulator.keypad')}>
            {KEYS.map((k) => (
              <button
                key={k}
                type="button"
                className="sim-key"
                data-key={k}
                disabled={disabled || digits.length >= 32}
                onClick={() => setDigits(digits + k)}
              >
                {k}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="fp-btn fp-btn--primary fp-btn--block"
            disabled={disabled || !digits}
            onClick={submitDigits}
          >
            {t('simulator.sendKeys')}
          </button>
        </div>
      ) : (
        <form className="sim-text" onSubmit={submitText}>
          <input
            className="fp-input"
            value={text}
            placeholder={t('simulator.typeMessage')}
            aria-label={t('simulator.typeMessage')}
            onChange={(e) => setText(e.target.value)}
            disabled={disabled}
          />
          <button type="submit" className="fp-btn fp-btn--primary" disabled={disabled || !text.trim()}>
            {t('simulator.send')}
          </button>
        </form>
      )}
      <div className="sim-clock">
        <span className="sim-clock-label">{t('simulator.advance')}</span>
        {['5m', '1h', '1d'].map((d) => (
          <button key={d} type="button" className="fp-chip" disabled={disabled} onClick={() => advance(d)}>
            +{d}
          </button>
        ))}
        {clockOpen ? (
          <form
            className="sim-clock-custom"
            onSubmit={(e) => {
              e.preventDefault()
              if (isDuration(custom)) advance(custom.trim())
            }}
          >
            <input
              className="fp-input fp-input--small"
              value={custom}
              placeholder="90s · 15m · 72h"
              onChange={(e) => setCustom(e.target.value)}
              aria-invalid={custom !== '' && !isDuration(custom)}
              autoFocus
            />
            <button type="submit" className="fp-chip" disabled={!isDuration(custom)}>
              {t('simulator.go')}
            </button>
          </form>
        ) : (
          <button type="button" className="fp-chip" disabled={disabled} onClick={() => setClockOpen(true)}>
            {t('simulator.custom')}
          </button>
        )}
      </div>
    </div>
  )
}
