import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type EdgeChange,
  type Node,
  type NodeChange,
  type OnDelete,
  type OnNodeDrag,
} from '@xyflow/react'
import { memo, useCallback, useEffect, useMemo, useState, type DragEvent } from 'react'
import { useI18n } from '../i18n'
import { categoryStyle, START_TYPE } from '../graph/node-types'
import type { EditorStore } from '../editor/editor-store'
import { useEditorState } from '../editor/use-editor'
import { buildCanvasEdges, buildCanvasNodes, type CanvasNode } from './canvas-model'
import { canvasNodeTypes } from './FlowNodeView'

export const PALETTE_MIME = 'application/x-switchboard-node-type'

// TEMPORARY (H6 experiments): flags read once
const h6 = (name: string) => (localStorage.getItem('h6') ?? '').split(',').includes(name)
const H6_VISIBLE_ONLY = h6('visible')
const H6_NO_BG = h6('nobg')

/**
 * The canvas (React Flow). The document in the store is the truth; React Flow's nodes are derived
 * from it and kept locally only while dragging (positions are committed on drag stop), so a drag
 * frame re-renders nothing but the moved nodes.
 */
export function FlowCanvas({ store, onRefused }: { store: EditorStore; onRefused(reason: string): void }) {
  const { t } = useI18n()
  const state = useEditorState(store)
  const flow = useReactFlow()
  const [nodes, setNodes] = useState<CanvasNode[]>([])
  // a preview (an old version, a diff) is drawn instead of the draft, read-only
  const shown = state.preview ?? state.document
  const readOnly = state.readOnly || state.preview !== null

  // the store's document → React Flow nodes, reusing unchanged ones
  useEffect(() => {
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]))
      const built = buildCanvasNodes(
        shown,
        {
          nodeTypes: store.nodeTypes,
          dynamicPorts: state.dynamicPorts,
          problems: state.problemMap,
          overlays: state.overlays,
        },
        state.selection,
        byId,
      )
      return built.map((n) => {
        const p = byId.get(n.id)
        if (n.data.node.type === START_TYPE) n = n.deletable === false ? n : { ...n, deletable: false }
        // a node being dragged keeps where the pointer has it
        return p?.dragging ? { ...n, position: p.position, dragging: true } : n
      })
    })
  }, [store, shown, state.dynamicPorts, state.problemMap, state.overlays, state.selection])

  // fit the flow once its nodes are first drawn (and measured)
  const hasNodes = nodes.length > 0
  useEffect(() => {
    if (!hasNodes) return
    const timer = setTimeout(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }), 60)
    return () => clearTimeout(timer)
  }, [hasNodes, flow])

  // which connections are selected (to delete one): the canvas's own state, not the document's
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(() => new Set())
  const edges = useMemo(
    () => buildCanvasEdges(shown, { problems: state.problemMap, overlays: state.overlays }, selectedEdges),
    [shown, state.problemMap, state.overlays, selectedEdges],
  )
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    if (!changes.some((c) => c.type === 'select')) return
    setSelectedEdges((prev) => {
      const next = new Set(prev)
      for (const c of changes) if (c.type === 'select') c.selected ? next.add(c.id) : next.delete(c.id)
      return next.size === prev.size && [...next].every((id) => prev.has(id)) ? prev : next
    })
  }, [])
  // nodes and connections deleted together are one edit (one undo)
  const onDelete: OnDelete<CanvasNode, Edge> = useCallback(
    ({ nodes: deletedNodes, edges: deletedEdges }) => {
      store.deleteElements(
        deletedNodes.map((n) => n.id),
        deletedEdges.map((e) => e.id),
      )
      setSelectedEdges(new Set())
    },
    [store],
  )

  // the viewport, lent to the store (focusNode, click-to-add, fit)
  useEffect(() => {
    store.canvas = {
      center() {
        const el = document.querySelector('.sb-canvas')?.getBoundingClientRect()
        if (!el) return { x: 0, y: 0 }
        const p = flow.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 })
        return { x: p.x - 120, y: p.y - 40 }
      },
      focus(position) {
        void flow.setCenter(position.x + 120, position.y + 48, { zoom: Math.max(flow.getZoom(), 1), duration: 300 })
      },
      fit() {
        void flow.fitView({ padding: 0.15, duration: 200 })
      },
    }
    return () => {
      store.canvas = null
    }
  }, [store, flow])

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const local = changes.filter((c) => c.type !== 'remove')
      setNodes((ns) => applyNodeChanges(local, ns))
      if (changes.some((c) => c.type === 'select')) {
        const selected = new Set(store.getSnapshot().selection)
        for (const c of changes) {
          if (c.type !== 'select') continue
          if (c.selected) selected.add(c.id)
          else selected.delete(c.id)
        }
        store.select(selected)
      }
    },
    [store],
  )

  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_event, _node, dragged) => {
      store.moveNodes(new Map(dragged.map((n) => [n.id, n.position])))
    },
    [store],
  )

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle) return
      const refused = store.connect(c.source, c.sourceHandle, c.target)
      if (refused) onRefused(t(`designer.canvas.refused.${refused}`))
    },
    [store, onRefused, t],
  )

  const isValidConnection: IsValidConnection = useCallback(
    (c) => {
      const target = store.getSnapshot().document.nodes.find((n) => n.id === c.target)
      return !!target && target.type !== START_TYPE && c.source !== c.target
    },
    [store],
  )

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME)
      if (!type) return
      event.preventDefault()
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY })
      store.addNodeOfType(type, { x: p.x - 120, y: p.y - 24 })
    },
    [flow, store],
  )

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(PALETTE_MIME)) {
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    }
  }, [])

  return (
    <div className="sb-canvas" onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas">
      <ReactFlow<CanvasNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={canvasNodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={H6_VISIBLE_ONLY}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: 'smoothstep' }}
      >
        <CanvasChrome store={store} readOnly={readOnly} />
      </ReactFlow>
    </div>
  )
}

const minimapColor = (n: Node) => categoryStyle((n as CanvasNode).data.info?.category ?? '').color

/**
 * The background, minimap and controls: memoised, so a drag frame (which re-renders the canvas
 * with the moved node) does not re-render them.
 */
const CanvasChrome = memo(function CanvasChrome({ store, readOnly }: { store: EditorStore; readOnly: boolean }) {
  const { t } = useI18n()
  return (
    <>
      {!H6_NO_BG && <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#d0d5dd" />}
      <MiniMap
        pannable
        zoomable
        nodeStrokeWidth={2}
        nodeColor={minimapColor}
        ariaLabel={t('designer.canvas.minimap')}
      />
      <Controls showInteractive={false}>
        <ControlButton
          onClick={() => store.autoLayout()}
          title={t('designer.top.layout')}
          aria-label={t('designer.top.layout')}
        >
          ⇣
        </ControlButton>
      </Controls>
      {readOnly && <div className="sb-readonly-banner">{t('designer.canvas.readOnly')}</div>}
    </>
  )
})
