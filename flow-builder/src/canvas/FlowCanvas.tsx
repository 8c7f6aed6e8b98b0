import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type IsValidConnection,
  type EdgeChange,
  type Node,
  type NodeChange,
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

/** Below this zoom a node's text would be a few pixels high: nodes are drawn as cards with a large title. */
export const FAR_ZOOM = 0.5

/**
 * The canvas (React Flow). The document in the store is the truth; React Flow's nodes are derived
 * from it and kept locally only while dragging (positions are committed on drag stop), so a drag
 * frame re-renders nothing but the moved nodes.
 */
export function FlowCanvas({ store, onRefused }: { store: EditorStore; onRefused(reason: string): void }) {
  const { t } = useI18n()
  const state = useEditorState(store)
  const flow = useReactFlow()
  // re-renders only when the zoom crosses the threshold
  const far = useStore((s) => s.transform[2] < FAR_ZOOM)
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

  const edges = useMemo(
    () => buildCanvasEdges(shown, { problems: state.problemMap, overlays: state.overlays }, state.selectedEdges),
    [shown, state.problemMap, state.overlays, state.selectedEdges],
  )
  // a click on a connection selects it (Delete removes it, see use-shortcuts)
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      if (!changes.some((c) => c.type === 'select')) return
      const next = new Set(store.getSnapshot().selectedEdges)
      for (const c of changes) {
        if (c.type !== 'select') continue
        if (c.selected) next.add(c.id)
        else next.delete(c.id)
      }
      store.selectEdges(next)
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
        store.select(selected, true)
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
    <div
      className={far ? 'sb-canvas is-far' : 'sb-canvas'}
      onDrop={onDrop}
      onDragOver={onDragOver}
      data-testid="canvas"
    >
      <ReactFlow<CanvasNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={canvasNodeTypes}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        // Delete is the editor's (use-shortcuts): nodes and connections go in one edit, one undo
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.1}
        maxZoom={2}
        // zoomed in, only the nodes in view are drawn; zoomed far out most are in view, and culling
        // would mount and measure nodes at the edges on every pan frame
        onlyRenderVisibleElements={!far}
        proOptions={PRO_OPTIONS}
        defaultEdgeOptions={EDGE_OPTIONS}
      >
        <CanvasChrome store={store} readOnly={readOnly} />
      </ReactFlow>
    </div>
  )
}

// constant props: a new object on each render would make React Flow re-apply them to every edge
const PRO_OPTIONS = { hideAttribution: true }
// a connection takes clicks 16 px wide (to select and delete it), not only on its thin line
const EDGE_OPTIONS = { type: 'smoothstep', interactionWidth: 16 }

const minimapColor = (n: Node) => categoryStyle((n as CanvasNode).data.info?.category ?? '').color

/**
 * The background, minimap and controls: memoised, so a drag frame (which re-renders the canvas
 * with the moved node) does not re-render them.
 */
const CanvasChrome = memo(function CanvasChrome({ store, readOnly }: { store: EditorStore; readOnly: boolean }) {
  const { t } = useI18n()
  return (
    <>
      <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#d0d5dd" />
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
