import { useMemo, useRef, useState } from 'react'
import { applySuggestion, filterSuggestions, wordAt, type Suggestion } from '../graph/expressions'

/**
 * A text box for an expression or a template that offers variables, contact.* and
 * conversation.* fields as you type (in a template: inside {{ }}). ↑/↓ choose, Enter/Tab apply,
 * Esc closes, Ctrl+Space opens.
 */
export function ExpressionInput(props: {
  id: string
  value: string
  kind: 'expression' | 'template'
  suggestions: Suggestion[]
  multiline?: boolean
  disabled?: boolean
  placeholder?: string
  invalid?: boolean
  onChange(value: string): void
  onBlur?(): void
}) {
  const { value, kind, suggestions } = props
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null)
  const [caret, setCaret] = useState<number | null>(null)
  const [active, setActive] = useState(0)
  const [forced, setForced] = useState(false)
  const matches = useMemo(() => {
    if (caret === null) return []
    if (kind === 'template') {
      const before = value.slice(0, caret)
      if (before.lastIndexOf('{{') <= before.lastIndexOf('}}')) return []
    }
    const { word } = wordAt(value, caret)
    if (!word && !forced) return []
    return filterSuggestions(suggestions, word)
  }, [caret, value, kind, suggestions, forced])

  const apply = (s: Suggestion) => {
    const next = applySuggestion(value, caret ?? value.length, s.insert)
    props.onChange(next.text)
    setForced(false)
    requestAnimationFrame(() => {
      ref.current?.setSelectionRange(next.caret, next.caret)
      setCaret(next.caret)
    })
  }
  const track = () => setCaret(ref.current?.selectionStart ?? null)
  const common = {
    id: props.id,
    ref,
    value,
    disabled: props.disabled,
    placeholder: props.placeholder,
    spellCheck: false,
    autoComplete: 'off',
    className: `sb-input sb-expr${props.invalid ? ' is-invalid' : ''}`,
    'aria-autocomplete': 'list' as const,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      props.onChange(e.target.value)
      setCaret(e.target.selectionStart)
      setActive(0)
    },
    onKeyUp: (e: React.KeyboardEvent) => {
      if (!['ArrowUp', 'ArrowDown', 'Enter', 'Tab', 'Escape'].includes(e.key)) track()
    },
    onClick: track,
    onBlur: () => {
      setTimeout(() => setCaret(null), 150)
      props.onBlur?.()
    },
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === ' ' && e.ctrlKey) {
        e.preventDefault()
        setForced(true)
        track()
        return
      }
      if (!matches.length) return
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length)
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault()
        apply(matches[Math.min(active, matches.length - 1)]!)
      } else if (e.key === 'Escape') {
        e.stopPropagation()
        setCaret(null)
      }
    },
  }
  return (
    <div className="sb-expr-wrap">
      {props.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
      <span className="sb-expr-kind">{kind === 'expression' ? 'ƒx' : '{{ }}'}</span>
      {matches.length > 0 && (
        <ul className="sb-suggest" role="listbox">
          {matches.map((s, i) => (
            <li
              key={s.insert}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'is-active' : ''}
              onMouseDown={(e) => {
                e.preventDefault()
                apply(s)
              }}
            >
              <code>{s.insert}</code>
              <span className="sb-suggest-src">{s.nodeId ?? s.source}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
