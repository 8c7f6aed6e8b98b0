import { useMemo, useState } from 'react'
import { useI18n } from '../i18n'
import { categoryStyle, groupByCategory, matchesSearch, START_TYPE, type NodeTypeInfo } from '../graph/node-types'
import { PALETTE_MIME } from '../canvas/FlowCanvas'

/** The node types by category, searchable in both languages; drag one onto the canvas or click to add it. */
export function Palette({
  types,
  disabled,
  onAdd,
}: {
  types: NodeTypeInfo[]
  disabled: boolean
  onAdd(type: string): void
}) {
  const { t, locale } = useI18n()
  const [query, setQuery] = useState('')
  const groups = useMemo(
    () =>
      groupByCategory(types.filter((x) => x.type !== START_TYPE && matchesSearch(x, query))).filter(
        (g) => g.types.length,
      ),
    [types, query],
  )
  return (
    <aside className="sb-palette" aria-label={t('designer.palette.title')}>
      <div className="sb-palette-search">
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('designer.palette.search')}
          aria-label={t('designer.palette.search')}
        />
      </div>
      <div className="sb-palette-groups">
        {groups.map((g) => (
          <section key={g.category} className="sb-palette-group">
            <h3>
              {t(`designer.category.${g.category}`) === `designer.category.${g.category}`
                ? g.category
                : t(`designer.category.${g.category}`)}
            </h3>
            {g.types.map((x) => {
              const style = categoryStyle(x.category)
              return (
                <button
                  key={x.type}
                  type="button"
                  className="sb-palette-item"
                  draggable={!disabled}
                  disabled={disabled}
                  data-node-type={x.type}
                  title={plain(x.description[locale])}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, x.type)
                    e.dataTransfer.effectAllowed = 'copy'
                  }}
                  onClick={() => onAdd(x.type)}
                >
                  <span className="sb-palette-icon" style={{ background: style.color }} aria-hidden>
                    {style.icon}
                  </span>
                  <span className="sb-palette-text">
                    <span className="sb-palette-name">{x.title[locale]}</span>
                    <span className="sb-palette-desc">{plain(x.description[locale])}</span>
                  </span>
                </button>
              )
            })}
          </section>
        ))}
        {groups.length === 0 && <p className="sb-muted sb-pad">{t('designer.palette.none')}</p>}
      </div>
    </aside>
  )
}

/** A description without its `code` marks (one line of small text has no room for code spans). */
const plain = (text: string) => text.replace(/`([^`]+)`/g, '$1')
