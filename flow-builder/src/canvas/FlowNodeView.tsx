import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react'
import { memo, useEffect } from 'react'
import { useI18n } from '../i18n'
import { categoryStyle, START_TYPE } from '../graph/node-types'
import { summarizeConfig } from '../graph/summary'
import type { CanvasNode } from './canvas-model'

/** A node on the canvas: category colour and icon, title, a one-line summary, named output ports. */
export const FlowNodeView = memo(function FlowNodeView({ id, data, selected }: NodeProps<CanvasNode>) {
  const { locale, t } = useI18n()
  const { node, info, ports, problemCount, overlays, overlayLabel } = data
  const style = categoryStyle(info?.category ?? '')
  const typeTitle = info ? info.title[locale] : node.type
  const summary = summarizeConfig(node, locale)
  const updateInternals = useUpdateNodeInternals()
  const portList = ports.join('\u0000')
  // handles moved (a switch case added): React Flow measures them again
  useEffect(() => updateInternals(id), [id, portList, updateInternals])
  const classes = [
    'sb-node',
    selected ? 'is-selected' : '',
    problemCount ? 'has-problem' : '',
    ...overlays.map((k) => `ov-${k}`),
  ]
  return (
    <div
      className={classes.join(' ')}
      style={{ '--cat': style.color } as React.CSSProperties}
      data-node-type={node.type}
    >
      {node.type !== START_TYPE && <Handle type="target" position={Position.Top} className="sb-handle-in" />}
      <div className="sb-node-head">
        <span className="sb-node-icon" aria-hidden>
          {style.icon}
        </span>
        <div className="sb-node-titles">
          <div className="sb-node-title">{node.title || typeTitle}</div>
          <div className="sb-node-type">{node.title ? typeTitle : node.id}</div>
        </div>
        {problemCount > 0 && (
          <span className="sb-node-badge" title={t('designer.canvas.problems', { n: problemCount })}>
            {problemCount}
          </span>
        )}
      </div>
      {summary ? (
        <div className="sb-node-summary">{summary}</div>
      ) : (
        hasSettings(info?.configSchema) && (
          <div className="sb-node-summary is-empty">{t('designer.canvas.notConfigured')}</div>
        )
      )}
      {overlayLabel && <div className="sb-node-overlay">{overlayLabel}</div>}
      {!info && <div className="sb-node-summary is-error">{t('designer.canvas.unknownType', { type: node.type })}</div>}
      {/* what a node shows when the canvas is zoomed far out (styles.css .sb-canvas.is-far) */}
      <div className="sb-node-far" aria-hidden>
        {node.title || typeTitle}
      </div>
      {ports.length > 0 && (
        <div className="sb-node-ports">
          {ports.map((port) => (
            <div key={port} className="sb-port" data-port={port}>
              <span className="sb-port-label">{port}</span>
              <Handle type="source" position={Position.Bottom} id={port} className="sb-handle-out" />
            </div>
          ))}
        </div>
      )}
    </div>
  )
})

const hasSettings = (schema: Record<string, unknown> | undefined) =>
  !!schema && Object.keys((schema.properties as object | undefined) ?? {}).length > 0

/** A comment on the canvas (node type `note`): no ports, a coloured sticky. */
export const NoteNodeView = memo(function NoteNodeView({ data, selected }: NodeProps<CanvasNode>) {
  const { t } = useI18n()
  const text = typeof data.node.config.text === 'string' ? data.node.config.text : ''
  const color = typeof data.node.config.color === 'string' ? data.node.config.color : 'yellow'
  return (
    <div className={`sb-note note-${color}${selected ? ' is-selected' : ''}`}>
      {text || <span className="sb-note-empty">{t('designer.canvas.emptyNote')}</span>}
    </div>
  )
})

export const canvasNodeTypes = { flow: FlowNodeView, note: NoteNodeView }
