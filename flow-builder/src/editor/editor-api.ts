import type { ComponentType } from 'react'
import type { FlowDocument } from '../graph/document'

/**
 * The contract between the editor (canvas, palette, node forms: src/canvas, src/editor) and the
 * side panels that work on the open flow (simulator, versions and diff, tests). A panel gets an
 * EditorApi and never reaches into React Flow itself.
 */
export type OverlayKind = 'path' | 'current' | 'added' | 'removed' | 'changed' | 'error' | 'warning'

export interface Overlay {
  kind: OverlayKind
  nodeIds: string[]
  /** edge ids as `from:port` (see graph/document.ts edgeId) */
  edgeIds?: string[]
  /** a short text shown on the marked nodes, e.g. the step number or "changed: config" */
  labels?: Record<string, string>
}

export interface FlowMeta {
  id: string
  name: string
  kind: string
  /** the draft's revision: saving sends it; a stale one is refused with 409 */
  revision: number
  publishedVersion: number | null
}

export interface EditorApi {
  readonly flow: FlowMeta
  /** the document as drawn now (unsaved edits included) */
  getDocument(): FlowDocument
  /** replaces what is drawn (rollback preview, import); undoable; marks the draft as changed */
  replaceDocument(document: FlowDocument, reason: string): void
  /** saves the draft now; resolves with the new revision, rejects with the ApiError (409 on a stale save) */
  save(): Promise<number>
  /** reloads the flow from the server (after a publish or rollback made elsewhere) */
  reload(): Promise<void>
  /** marks nodes/edges on the canvas; each source (e.g. 'simulator', 'diff') owns its overlays */
  setOverlays(source: string, overlays: Overlay[]): void
  clearOverlays(source: string): void
  /** pans to a node and selects it */
  focusNode(nodeId: string): void
  /** read-only canvas (e.g. while showing a diff of two old versions) */
  setReadOnly(readOnly: boolean): void
  /** subscribe to document changes; returns the unsubscriber */
  onChange(listener: (document: FlowDocument) => void): () => void
}

/** A tab in the editor's right-hand panel. */
export interface SidePanel {
  id: string
  /** i18n key of the tab label */
  label: string
  order: number
  component: ComponentType<{ editor: EditorApi }>
}

const panels: SidePanel[] = []

/** Panels register themselves from src/editor/side-panels.ts; the editor shows them as tabs in order. */
export function registerPanel(panel: SidePanel): void {
  if (!panels.some((p) => p.id === panel.id)) panels.push(panel)
  panels.sort((a, b) => a.order - b.order)
}

export function sidePanels(): readonly SidePanel[] {
  return panels
}

/*
 * Extensions for collaboration (src/collab), compatible with the contract above:
 * - header widgets: small components the editor renders in its top bar (editors' presence);
 * - save failures: the editor reports a rejected save (a 409 stale save above all) with
 *   reportSaveFailed(); collab/ shows who saved meanwhile and the ways out;
 * - previewDocument (optional on EditorApi implementations): show a document read-only without
 *   touching the draft (an old version, a diff); null returns to the draft.
 */
export interface EditorPreview {
  previewDocument?(document: FlowDocument | null): void
}

/** A component in the editor's top bar, e.g. who else has the flow open. */
export interface HeaderWidget {
  id: string
  order: number
  component: ComponentType<{ editor: EditorApi }>
}

const headerWidgetList: HeaderWidget[] = []

export function registerHeaderWidget(widget: HeaderWidget): void {
  if (!headerWidgetList.some((w) => w.id === widget.id)) headerWidgetList.push(widget)
  headerWidgetList.sort((a, b) => a.order - b.order)
}

/** The editor renders these in its top bar, in order. */
export function headerWidgets(): readonly HeaderWidget[] {
  return headerWidgetList
}

type SaveFailureListener = (error: unknown, editor: EditorApi) => void
const saveFailureListeners = new Set<SaveFailureListener>()

/** The editor calls this when save() is rejected (ApiError 409 SB_ERR_FLOW_STALE on a stale save). */
export function reportSaveFailed(error: unknown, editor: EditorApi): void {
  for (const listener of saveFailureListeners) listener(error, editor)
}

export function onSaveFailed(listener: SaveFailureListener): () => void {
  saveFailureListeners.add(listener)
  return () => saveFailureListeners.delete(listener)
}

/** Whether a panel (collab/) explains failed saves; the editor then shows no stale banner of its own. */
export function saveFailuresHandled(): boolean {
  return saveFailureListeners.size > 0
}
