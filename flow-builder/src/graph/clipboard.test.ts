import { describe, expect, it } from 'vitest'
import { copySelection, isClipboardContent, pasteClipboard } from './clipboard'
import { doc } from './graph.fixtures'

const flow = doc(
  [
    { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
    { id: 'ask', type: 'ask', config: { prompt: 'Order?', variable: 'n' }, position: { x: 0, y: 100 } },
    { id: 'say', type: 'send-message', config: { text: 'ok' }, position: { x: 0, y: 200 } },
    { id: 'bye', type: 'end', config: {}, position: { x: 0, y: 300 } },
  ],
  [
    { from: 'start', port: 'next', to: 'ask' },
    { from: 'ask', port: 'next', to: 'say' },
    { from: 'say', port: 'next', to: 'bye' },
  ],
)

describe('copy and paste', () => {
  it('copies the selected nodes with the edges between them, never the start', () => {
    const clip = copySelection(flow, new Set(['start', 'ask', 'say']))!
    expect(clip.nodes.map((n) => n.id)).toEqual(['ask', 'say'])
    expect(clip.edges).toEqual([{ from: 'ask', port: 'next', to: 'say' }])
    expect(isClipboardContent(JSON.parse(JSON.stringify(clip)))).toBe(true)
    expect(copySelection(flow, new Set(['start']))).toBeNull()
  })

  it('pastes with new ids, remapped edges and moved positions; the copy is independent of the original', () => {
    const clip = copySelection(flow, new Set(['ask', 'say']))!
    const { document, pasted } = pasteClipboard(flow, clip, { x: 40, y: 40 })
    expect(pasted).toEqual(['ask-2', 'say-2'])
    expect(document.edges.slice(3)).toEqual([{ from: 'ask-2', port: 'next', to: 'say-2' }])
    expect(document.nodes.find((n) => n.id === 'say-2')!.position).toEqual({ x: 40, y: 240 })
    ;(document.nodes.find((n) => n.id === 'ask-2')!.config as { prompt: string }).prompt = 'changed'
    expect(flow.nodes[1]!.config.prompt).toBe('Order?')
    const twice = pasteClipboard(document, clip, { x: 80, y: 80 })
    expect(twice.pasted).toEqual(['ask-3', 'say-3'])
  })
})
