import { ApiError } from '../api/http'
import { copySelection, isClipboardContent, pasteClipboard, type ClipboardContent } from '../graph/clipboard'
import { edgeId, type FlowDocument } from '../graph/document'
import { addNode, moveNodes, removeEdges, removeNodes, updateNode } from '../graph/document-ops'
import { History } from '../graph/history'
import { autoLayout } from '../graph/layout'
import { defaultConfig, portsKey, portsOfNode, type NodeTypeInfo } from '../graph/node-types'
import { connect, type ConnectRefusal } from '../graph/ports'
import { mapProblems, type FlowProblem, type ProblemMap } from '../graph/problems'
import type { EditorApi, EditorPreview, FlowMeta, Overlay } from './editor-api'
import { flowClient, type FlowView } from './flow-client'

/** What the canvas lends the store: its viewport (for focusNode, click-to-add, fit). */
export interface CanvasHandle {
  center(): { x: number; y: number }
  focus(position: { x: number; y: number }): void
  fit(): void
}

export interface StaleSave {
  /** when and at which revision the other save happened */
  savedAt: string
  currentRev: number
}

export interface EditorSnapshot {
  meta: FlowMeta
  document: FlowDocument
  dirty: boolean
  canUndo: boolean
  canRedo: boolean
  problems: FlowProblem[]
  problemMap: ProblemMap
  validating: boolean
  overlays: ReadonlyMap<string, Overlay[]>
  readOnly: boolean
  /** a document shown instead of the draft (an old version, a diff), read-only */
  preview: FlowDocument | null
  selection: ReadonlySet<string>
  /** selected connections (`from:port`), to delete them */
  selectedEdges: ReadonlySet<string>
  dynamicPorts: ReadonlyMap<string, string[]>
  saving: boolean
  stale: StaleSave | null
  /** the last save/publish error other than a stale save */
  error: string | null
  notice: { kind: 'saved' | 'published' | 'refused'; text: string } | null
}

const VALIDATE_DELAY_MS = 400

/**
 * The open flow: the document with its undo history, the draft revision, the validator's
 * problems, overlays from side panels, the selection and the dynamic ports of nodes. Plain
 * TypeScript with a subscribe/snapshot pair for React (useSyncExternalStore); it implements the
 * EditorApi the side panels get.
 */
export class EditorStore implements EditorApi, EditorPreview {
  private history: History<FlowDocument>
  private savedDocument: FlowDocument
  private state: EditorSnapshot
  private listeners = new Set<() => void>()
  private changeListeners = new Set<(document: FlowDocument) => void>()
  private validateTimer: ReturnType<typeof setTimeout> | null = null
  private validationSeq = 0
  private pendingPorts = new Set<string>()
  private clipboard: ClipboardContent | null = null
  canvas: CanvasHandle | null = null

  constructor(
    view: FlowView,
    readonly nodeTypes: ReadonlyMap<string, NodeTypeInfo>,
  ) {
    this.history = new History(view.draft)
    this.savedDocument = view.draft
    const meta = {
      id: view.id,
      name: view.name,
      kind: view.kind,
      revision: view.draftRev,
      publishedVersion: view.publishedVersion,
    }
    this.state = {
      meta,
      document: view.draft,
      dirty: false,
      canUndo: false,
      canRedo: false,
      problems: view.problems,
      problemMap: mapProblems(view.draft, view.problems),
      validating: false,
      overlays: new Map(),
      readOnly: false,
      preview: null,
      selection: new Set(),
      selectedEdges: new Set(),
      dynamicPorts: new Map(),
      saving: false,
      stale: null,
      error: null,
      notice: null,
    }
    this.resolvePorts(view.draft)
  }

  // ---- React binding
  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  getSnapshot = () => this.state
  private set(patch: Partial<EditorSnapshot>) {
    this.state = { ...this.state, ...patch }
    for (const l of this.listeners) l()
  }

  // ---- EditorApi
  get flow(): FlowMeta {
    return this.state.meta
  }
  getDocument(): FlowDocument {
    return this.state.document
  }
  replaceDocument(document: FlowDocument, _reason: string): void {
    // a panel's replacement is not a canvas edit: it applies in read-only mode too
    this.commit(document, undefined, true)
  }
  /** EditorPreview: draws a document read-only without touching the draft; null goes back to the draft. */
  previewDocument(document: FlowDocument | null): void {
    this.set({ preview: document })
  }
  async save(): Promise<number> {
    const { meta, document } = this.state
    this.set({ saving: true, error: null, notice: null })
    try {
      const view = await flowClient.saveDraft(meta.id, document, meta.revision)
      this.savedDocument = document
      this.set({
        saving: false,
        stale: null,
        meta: { ...this.state.meta, revision: view.draftRev, publishedVersion: view.publishedVersion },
        dirty: this.state.document !== document,
        notice: { kind: 'saved', text: String(view.draftRev) },
      })
      return view.draftRev
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const details = (error.details ?? {}) as { currentRev?: number }
        const current = await flowClient.get(meta.id).catch(() => null)
        this.set({
          saving: false,
          stale: {
            savedAt: current?.updatedAt ?? new Date().toISOString(),
            currentRev: details.currentRev ?? current?.draftRev ?? meta.revision,
          },
        })
      } else this.set({ saving: false, error: (error as Error).message })
      throw error
    }
  }
  async reload(): Promise<void> {
    const view = await flowClient.get(this.state.meta.id)
    this.history.reset(view.draft)
    this.savedDocument = view.draft
    this.set({
      meta: {
        id: view.id,
        name: view.name,
        kind: view.kind,
        revision: view.draftRev,
        publishedVersion: view.publishedVersion,
      },
      document: view.draft,
      dirty: false,
      canUndo: false,
      canRedo: false,
      stale: null,
      error: null,
      problems: view.problems,
      problemMap: mapProblems(view.draft, view.problems),
    })
    this.resolvePorts(view.draft)
    this.emitChange()
  }
  setOverlays(source: string, overlays: Overlay[]): void {
    const next = new Map(this.state.overlays)
    next.set(source, overlays)
    this.set({ overlays: next })
  }
  clearOverlays(source: string): void {
    if (!this.state.overlays.has(source)) return
    const next = new Map(this.state.overlays)
    next.delete(source)
    this.set({ overlays: next })
  }
  focusNode(nodeId: string): void {
    const node = this.state.document.nodes.find((n) => n.id === nodeId)
    if (!node) return
    this.select([nodeId])
    this.canvas?.focus(node.position ?? { x: 0, y: 0 })
  }
  setReadOnly(readOnly: boolean): void {
    this.set({ readOnly })
  }
  onChange(listener: (document: FlowDocument) => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  // ---- editing
  /** Every edit goes through here: history, dirty flag, ports, validation, change listeners. */
  commit(document: FlowDocument, coalesce?: string, evenReadOnly = false): void {
    if ((this.state.readOnly && !evenReadOnly) || document === this.state.document) return
    this.history.push(document, coalesce)
    this.applyDocument(document)
  }
  private applyDocument(document: FlowDocument) {
    const ids = new Set(document.nodes.map((n) => n.id))
    const selection = [...this.state.selection].filter((id) => ids.has(id))
    const edgeIds = new Set(document.edges.map(edgeId))
    const selectedEdges = [...this.state.selectedEdges].filter((id) => edgeIds.has(id))
    this.set({
      document,
      selectedEdges:
        selectedEdges.length === this.state.selectedEdges.size ? this.state.selectedEdges : new Set(selectedEdges),
      dirty: document !== this.savedDocument,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      selection: selection.length === this.state.selection.size ? this.state.selection : new Set(selection),
      notice: null,
    })
    this.resolvePorts(document)
    this.scheduleValidation()
    this.emitChange()
  }
  private emitChange() {
    for (const l of this.changeListeners) l(this.state.document)
  }
  undo(): void {
    if (!this.state.readOnly && this.history.canUndo) this.applyDocument(this.history.undo())
  }
  redo(): void {
    if (!this.state.readOnly && this.history.canRedo) this.applyDocument(this.history.redo())
  }

  portsOf = (nodeId: string): string[] => {
    const node = this.state.document.nodes.find((n) => n.id === nodeId)
    return node ? portsOfNode(node, this.nodeTypes.get(node.type), this.state.dynamicPorts) : []
  }

  addNodeOfType(type: string, position?: { x: number; y: number }): string | null {
    const info = this.nodeTypes.get(type)
    if (!info || this.state.readOnly) return null
    const at = position ?? this.canvas?.center() ?? { x: 0, y: 0 }
    const { document, id } = addNode(this.state.document, {
      type,
      config: defaultConfig(info),
      position: { x: Math.round(at.x), y: Math.round(at.y) },
    })
    this.commit(document)
    this.select([id])
    return id
  }
  connect(from: string, port: string, to: string): ConnectRefusal | null {
    const result = connect(this.state.document, { from, port, to }, this.portsOf)
    if (!result.ok) return result.reason
    this.commit(result.document)
    return null
  }
  updateConfig(nodeId: string, config: Record<string, unknown>): void {
    this.commit(updateNode(this.state.document, nodeId, { config }), `config:${nodeId}`)
  }
  updateTitle(nodeId: string, title: string): void {
    this.commit(updateNode(this.state.document, nodeId, { title }), `title:${nodeId}`)
  }
  moveNodes(positions: ReadonlyMap<string, { x: number; y: number }>): void {
    this.commit(moveNodes(this.state.document, positions))
  }
  deleteNodes(ids: Iterable<string>): void {
    this.commit(removeNodes(this.state.document, new Set(ids)))
  }
  deleteEdges(ids: Iterable<string>): void {
    this.commit(removeEdges(this.state.document, new Set(ids)))
  }
  /** Nodes and edges deleted together (the Delete key): one edit, so one undo brings all of them back. */
  deleteElements(nodeIds: Iterable<string>, edgeIds: Iterable<string>): void {
    this.commit(removeNodes(removeEdges(this.state.document, new Set(edgeIds)), new Set(nodeIds)))
  }
  /** The Delete key: the selected nodes (never the start) and connections, as one edit. */
  deleteSelection(): void {
    if (this.state.preview) return
    this.deleteElements(this.state.selection, this.state.selectedEdges)
  }
  autoLayout(): void {
    this.commit(autoLayout(this.state.document))
    setTimeout(() => this.canvas?.fit(), 50)
  }

  // ---- selection and clipboard
  /** Selects these nodes; a connection stays selected only with `keepEdges` (a click with Ctrl adds). */
  select(ids: Iterable<string>, keepEdges = false): void {
    const next = new Set(ids)
    const same = next.size === this.state.selection.size && [...next].every((id) => this.state.selection.has(id))
    const clearEdges = !keepEdges && this.state.selectedEdges.size > 0
    if (!same || clearEdges)
      this.set({ selection: same ? this.state.selection : next, ...(clearEdges ? { selectedEdges: new Set() } : {}) })
  }
  selectEdges(ids: Iterable<string>): void {
    const next = new Set(ids)
    const same =
      next.size === this.state.selectedEdges.size && [...next].every((id) => this.state.selectedEdges.has(id))
    if (!same) this.set({ selectedEdges: next })
  }
  selectAll(): void {
    this.select(this.state.document.nodes.map((n) => n.id))
  }
  copy(): boolean {
    const clip = copySelection(this.state.document, this.state.selection)
    if (!clip) return false
    this.clipboard = clip
    // the system clipboard too, so a selection can move between two builder tabs
    void navigator.clipboard?.writeText(JSON.stringify(clip)).catch(() => {})
    return true
  }
  async paste(): Promise<void> {
    let clip = this.clipboard
    try {
      const text = await navigator.clipboard?.readText()
      const parsed = text ? (JSON.parse(text) as unknown) : null
      if (isClipboardContent(parsed)) clip = parsed
    } catch {
      // no permission or not ours: the in-page clipboard
    }
    if (!clip) return
    const { document, pasted } = pasteClipboard(this.state.document, clip, { x: 40, y: 40 })
    this.commit(document)
    this.select(pasted)
  }

  // ---- ports that depend on the config
  private resolvePorts(document: FlowDocument) {
    for (const node of document.nodes) {
      const info = this.nodeTypes.get(node.type)
      if (!info || info.ports) continue
      const key = portsKey(node)
      if (this.state.dynamicPorts.has(key) || this.pendingPorts.has(key)) continue
      this.pendingPorts.add(key)
      flowClient
        .ports(node.type, node.config)
        .then(({ ports }) => {
          const next = new Map(this.state.dynamicPorts)
          next.set(key, ports)
          this.set({ dynamicPorts: next })
        })
        .catch(() => {})
        .finally(() => this.pendingPorts.delete(key))
    }
  }

  // ---- validation as you draw
  private scheduleValidation() {
    if (this.validateTimer) clearTimeout(this.validateTimer)
    this.set({ validating: true })
    this.validateTimer = setTimeout(() => void this.validateNow(), VALIDATE_DELAY_MS)
  }
  async validateNow(): Promise<void> {
    const seq = ++this.validationSeq
    const document = this.state.document
    try {
      const { problems } = await flowClient.validate(document)
      if (seq !== this.validationSeq) return
      this.set({ problems, problemMap: mapProblems(document, problems), validating: false })
    } catch {
      if (seq === this.validationSeq) this.set({ validating: false })
    }
  }

  /** Saves if needed, then publishes; refused (with the reason) while the validator reports problems. */
  async publish(): Promise<number | null> {
    if (this.validateTimer) {
      clearTimeout(this.validateTimer)
      await this.validateNow()
    }
    if (this.state.problems.length) return null
    if (this.state.dirty) await this.save()
    try {
      const { version } = await flowClient.publish(this.state.meta.id)
      this.savedDocument = this.state.document
      this.set({
        meta: { ...this.state.meta, publishedVersion: version },
        notice: { kind: 'published', text: String(version) },
      })
      return version
    } catch (error) {
      this.set({ error: (error as Error).message })
      return null
    }
  }

  dismissStale(): void {
    this.set({ stale: null })
  }
  dismissError(): void {
    this.set({ error: null })
  }
  dispose(): void {
    if (this.validateTimer) clearTimeout(this.validateTimer)
    this.listeners.clear()
    this.changeListeners.clear()
  }
}
