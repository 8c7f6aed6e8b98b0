import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FlowDocument } from '../graph/document'
// the diff itself is the core's (POST /api/v1/flows/diff); this module only draws it
import { diffDocuments as coreDiff } from '../../../core/src/flows/index.js'
import { changeList, diffOverlays, documentForDiff, type FlowDiff } from './diff'

const diffDocuments = (a: FlowDocument, b: FlowDocument) => coreDiff(a as never, b as never) as FlowDiff

const example = (name: string) =>
  (
    JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/flows', `${name}.json`), 'utf8')) as {
      document: FlowDocument
    }
  ).document

const labels = { added: 'added', removed: 'removed', changed: 'changed' }

describe('diffs on the canvas', () => {
  const before = example('order-status')
  const after: FlowDocument = structuredClone(before)
  // one node removed (with its edges), one added, one config field changed, one moved
  after.nodes = after.nodes.filter((n) => n.id !== 'bye')
  after.edges = after.edges.filter((e) => e.to !== 'bye' && e.from !== 'bye')
  after.nodes.push({ id: 'thanks', type: 'send-message', config: { text: 'Thanks!' }, position: { x: 900, y: 900 } })
  after.edges.push({ from: 'anything-else', port: '1', to: 'thanks' })
  const unsure = after.nodes.find((n) => n.id === 'unsure')!
  unsure.config = { ...unsure.config, text: 'Sorry?' }
  const idle = after.nodes.find((n) => n.id === 'idle')!
  idle.position = { x: (idle.position?.x ?? 0) + 40, y: idle.position?.y ?? 0 }

  it('finds added, removed, changed (by config field) and moved nodes, and re-routed edges', () => {
    const diff = diffDocuments(before, after)
    expect(diff.nodes.added.map((n) => n.id)).toEqual(['thanks'])
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(['bye'])
    expect(diff.nodes.changed).toMatchObject([{ id: 'unsure', fields: ['config'], configKeys: ['text'] }])
    expect(diff.nodes.moved).toEqual(['idle'])
    expect(diff.edges.added).toEqual([{ from: 'anything-else', port: '1', to: 'thanks' }])
    expect(diff.edges.removed).toEqual([{ from: 'anything-else', port: '1', to: 'bye' }])
    expect(diff.same).toBe(false)
    expect(diffDocuments(before, structuredClone(before)).same).toBe(true)
  })

  it('draws removed nodes as ghosts at their old positions, without a second edge on a re-routed port', () => {
    const diff = diffDocuments(before, after)
    const drawn = documentForDiff(after, diff)
    const ghost = drawn.nodes.find((n) => n.id === 'bye')!
    expect(ghost.position).toEqual(before.nodes.find((n) => n.id === 'bye')!.position)
    expect(drawn.edges.filter((e) => e.from === 'anything-else' && e.port === '1')).toEqual([
      { from: 'anything-else', port: '1', to: 'thanks' },
    ])
    const overlays = diffOverlays(diff, labels)
    expect(overlays).toEqual([
      { kind: 'added', nodeIds: ['thanks'], edgeIds: ['anything-else:1'], labels: { thanks: 'added' } },
      { kind: 'removed', nodeIds: ['bye'], edgeIds: ['anything-else:1'], labels: { bye: 'removed' } },
      { kind: 'changed', nodeIds: ['unsure'], labels: { unsure: 'changed: text' } },
    ])
  })

  it('lists the changes for people, with config field names', () => {
    const lines = changeList(diffDocuments(before, after))
    expect(lines).toContainEqual({
      kind: 'changed',
      nodeId: 'unsure',
      title: 'unsure',
      type: 'send-message',
      fields: ['text'],
    })
    expect(lines).toContainEqual({ kind: 'added', nodeId: 'thanks', title: 'thanks', type: 'send-message' })
    expect(lines).toContainEqual({ kind: 'edge-removed', nodeId: 'anything-else', text: 'anything-else —1→ bye' })
  })
})
