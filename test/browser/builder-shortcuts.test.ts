import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { chromiumInstalled } from '../support/chromium.js'
import { startConsole, VIEWPORTS, type ConsoleHarness } from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

// a browser and a server on a loaded 2-core CI machine: give each step room
vi.setConfig({ testTimeout: 120_000 })

const root = join(import.meta.dirname, '../..')
const builderBuilt = existsSync(join(root, 'flow-builder', 'dist', 'index.html'))

interface Doc {
  nodes: Array<{
    id: string
    type: string
    config: Record<string, unknown>
    title?: string
    position: { x: number; y: number }
  }>
  edges: Array<{ from: string; port: string; to: string }>
}

/** start → ask → condition (true → yes, false → no), and a note beside them. */
const document = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
    {
      id: 'ask',
      type: 'ask',
      config: { prompt: 'Your order number?', variable: 'orderNumber' },
      position: { x: 0, y: 140 },
    },
    {
      id: 'cond',
      type: 'condition',
      title: 'Big order?',
      config: { expression: 'vars.total > 500' },
      position: { x: 0, y: 320 },
    },
    { id: 'yes', type: 'send-message', config: { text: 'A big one!' }, position: { x: -180, y: 500 } },
    { id: 'no', type: 'send-message', config: { text: 'A small one.' }, position: { x: 180, y: 500 } },
    {
      id: 'memo',
      type: 'note',
      config: { text: 'Check the limit with finance', color: 'blue' },
      position: { x: 420, y: 0 },
    },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'ask' },
    { from: 'ask', port: 'next', to: 'cond' },
    { from: 'cond', port: 'true', to: 'yes' },
    { from: 'cond', port: 'false', to: 'no' },
  ],
}

/**
 * The editor's keyboard and selection in real Chromium, checked on the editor's state as the
 * server stores it (Ctrl+S, then the saved draft): click, Ctrl-click and Shift-drag selection;
 * Ctrl+C / Ctrl+V (new ids, offset positions, the edges between the copies, also through the
 * system clipboard into another flow); Delete; Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y restoring exactly;
 * Ctrl+A; F; keys typed in a form field stay in the field.
 */
describe.skipIf(!chromiumInstalled || !builderBuilt)('flow builder: shortcuts, copy/paste, undo/redo', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  let flowId: string
  let otherFlowId: string
  let page: Page
  let errors: string[]

  const api = async (method: string, url: string, payload?: unknown) => {
    const res = await h.t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin.token) })
    return { status: res.statusCode, body: res.payload ? JSON.parse(res.payload) : undefined }
  }
  const draftOf = async (id: string) => {
    const { body } = await api('GET', `/api/v1/flows/${id}`)
    return { rev: body.draftRev as number, doc: body.draft as Doc }
  }
  /** Ctrl+S, then the draft the server stored. */
  const save = async (id = flowId) => {
    const before = (await draftOf(id)).rev
    await page.keyboard.press('Control+s')
    await expect.poll(async () => (await draftOf(id)).rev, { timeout: 10_000 }).toBeGreaterThan(before)
    const saved = await draftOf(id)
    // the editor has the answer too (its next save builds on this revision)
    await page.locator('[data-testid="notice"]', { hasText: `(revision ${saved.rev})` }).waitFor()
    return saved.doc
  }
  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`)
  const selected = () =>
    page.locator('.react-flow__node.selected').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!).sort())
  const shown = () =>
    page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!).sort())
  const paneSpot = async () => {
    // an empty spot of the canvas: left of the flow, below the minimap's height
    const box = (await page.locator('.sb-canvas').boundingBox())!
    return { x: box.x + 30, y: box.y + box.height / 2 }
  }
  const clickPane = async () => {
    const spot = await paneSpot()
    await page.mouse.click(spot.x, spot.y)
  }

  beforeAll(async () => {
    h = await startConsole()
    admin = await h.user('admin', 'Keyboard Person')
    const created = await api('POST', '/api/v1/flows', { name: 'Shortcuts', kind: 'bot', document })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    flowId = created.body.id
    const other = await api('POST', '/api/v1/flows', {
      name: 'Paste target',
      kind: 'bot',
      document: { schemaVersion: 1, nodes: [document.nodes[0]], edges: [] },
    })
    expect(other.status, JSON.stringify(other.body)).toBe(201)
    otherFlowId = other.body.id
    const session = await h.signedIn(admin.email, 'en', VIEWPORTS.desktop)
    page = session.page
    errors = session.errors
    // Ctrl+C also writes the system clipboard, so a selection can be pasted into another flow
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base })
    await page.goto(`${h.base}/builder/flows/${flowId}`)
    await node('no').waitFor()
    // the first fit of the view
    await page.waitForTimeout(300)
  }, 120_000)

  afterAll(async () => {
    await h?.close()
  })

  it('selects with a click, Ctrl-click and a Shift-drag box; the pane clears it', async () => {
    await node('cond').click()
    await expect.poll(selected).toEqual(['cond'])
    await node('yes').click({ modifiers: ['Control'] })
    await expect.poll(selected).toEqual(['cond', 'yes'])
    await node('yes').click({ modifiers: ['Control'] })
    await expect.poll(selected).toEqual(['cond'])
    await clickPane()
    await expect.poll(selected).toEqual([])

    // a box around the condition and both messages (and nothing else)
    const boxes = await Promise.all(['cond', 'yes', 'no'].map(async (id) => (await node(id).boundingBox())!))
    const left = Math.min(...boxes.map((b) => b.x)) - 12
    const top = Math.min(...boxes.map((b) => b.y)) - 12
    const right = Math.max(...boxes.map((b) => b.x + b.width)) + 12
    const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 12
    await page.keyboard.down('Shift')
    await page.mouse.move(left, top)
    await page.mouse.down()
    await page.mouse.move((left + right) / 2, (top + bottom) / 2, { steps: 5 })
    await page.mouse.move(right, bottom, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.up('Shift')
    await expect.poll(selected).toEqual(['cond', 'no', 'yes'])
  })

  it('Ctrl+C, Ctrl+V: copies with new ids, moved by 40 px, with the edges between them; Delete; undo and redo restore exactly', async () => {
    const original = (await draftOf(flowId)).doc
    await page.keyboard.press('Control+c')
    await page.keyboard.press('Control+v')
    await node('cond-2').waitFor()
    // the copies are the selection now
    await expect.poll(selected).toEqual(['cond-2', 'no-2', 'yes-2'])
    const pasted = await save()
    expect(pasted.nodes.map((n) => n.id)).toEqual([...original.nodes.map((n) => n.id), 'cond-2', 'yes-2', 'no-2'])
    for (const id of ['cond', 'yes', 'no']) {
      const from = original.nodes.find((n) => n.id === id)!
      const copy = pasted.nodes.find((n) => n.id === `${id}-2`)!
      expect(copy).toEqual({ ...from, id: `${id}-2`, position: { x: from.position.x + 40, y: from.position.y + 40 } })
    }
    // the edges between the copies come along; the edge into the condition (from ask, not copied) does not
    expect(pasted.edges).toEqual([
      ...original.edges,
      { from: 'cond-2', port: 'true', to: 'yes-2' },
      { from: 'cond-2', port: 'false', to: 'no-2' },
    ])

    await page.keyboard.press('Delete')
    await expect.poll(shown).toEqual(original.nodes.map((n) => n.id).sort())
    const deleted = await save()
    expect(deleted).toEqual(original)

    // one Ctrl+Z brings the three nodes and their two edges back: one step per action
    await page.keyboard.press('Control+z')
    await node('cond-2').waitFor()
    expect(await save()).toEqual(pasted)
    await page.keyboard.press('Control+z')
    await expect.poll(shown).toEqual(original.nodes.map((n) => n.id).sort())
    expect(await save()).toEqual(original)
    await page.keyboard.press('Control+Shift+z')
    await node('no-2').waitFor()
    expect(await save()).toEqual(pasted)
    await page.keyboard.press('Control+y')
    await expect.poll(shown).toEqual(original.nodes.map((n) => n.id).sort())
    expect(await save()).toEqual(original)
    // nothing left to redo: Ctrl+Y changes nothing
    await page.keyboard.press('Control+y')
    await page.waitForTimeout(300)
    expect(await shown()).toEqual(original.nodes.map((n) => n.id).sort())
  })

  it('undoes a move and a deleted connection exactly', async () => {
    const before = (await draftOf(flowId)).doc
    const box = (await node('memo').boundingBox())!
    await page.mouse.move(box.x + 40, box.y + 20)
    await page.mouse.down()
    await page.mouse.move(box.x + 140, box.y + 120, { steps: 8 })
    await page.mouse.up()
    const moved = await save()
    const memo = (d: Doc) => d.nodes.find((n) => n.id === 'memo')!.position
    expect(memo(moved).x).toBeGreaterThan(memo(before).x + 30)
    expect(memo(moved).y).toBeGreaterThan(memo(before).y + 30)
    await page.keyboard.press('Control+z')
    expect(await save()).toEqual(before)

    // select the connection ask → cond (its wide invisible path takes the click) and delete it
    await clickPane()
    await page.locator('.react-flow__edge[data-id="ask:next"] .react-flow__edge-interaction').click({ force: true })
    await expect.poll(() => page.locator('.react-flow__edge.selected').count()).toBe(1)
    await page.keyboard.press('Delete')
    await expect.poll(() => page.locator('.react-flow__edge[data-id="ask:next"]').count()).toBe(0)
    const cut = await save()
    expect(cut.edges).toEqual(before.edges.filter((e) => !(e.from === 'ask' && e.port === 'next')))
    expect(cut.nodes).toEqual(before.nodes)
    await page.keyboard.press('Control+z')
    await page.locator('.react-flow__edge[data-id="ask:next"]').waitFor()
    expect(await save()).toEqual(before)
  })

  it('Ctrl+A selects every node; Delete removes all but the start; Ctrl+Z brings them back', async () => {
    const before = (await draftOf(flowId)).doc
    await clickPane()
    await page.keyboard.press('Control+a')
    await expect.poll(selected).toEqual(before.nodes.map((n) => n.id).sort())
    await page.keyboard.press('Delete')
    await expect.poll(shown).toEqual(['start'])
    const emptied = await save()
    expect(emptied.nodes.map((n) => n.id)).toEqual(['start'])
    expect(emptied.edges).toEqual([])
    await page.keyboard.press('Control+z')
    await node('memo').waitFor()
    expect(await save()).toEqual(before)
  })

  it('keys typed in a form field stay in the field (Backspace, Delete and Ctrl+A do not edit the canvas)', async () => {
    const before = (await draftOf(flowId)).doc
    await clickPane()
    await node('cond').click()
    const input = page.locator('#cfg_cond_expression')
    await input.click()
    await input.press('End')
    for (let i = 0; i < 3; i++) await input.press('Backspace')
    await input.press('Delete')
    await input.press('Control+a')
    // the node is still there and the canvas kept its selection; only the field changed
    expect(await shown()).toEqual(before.nodes.map((n) => n.id).sort())
    expect(await selected()).toEqual(['cond'])
    await input.pressSequentially('vars.total >= 100')
    const typed = await save()
    expect(typed.nodes.find((n) => n.id === 'cond')!.config.expression).toBe('vars.total >= 100')
    expect(typed.nodes.filter((n) => n.id !== 'cond')).toEqual(before.nodes.filter((n) => n.id !== 'cond'))
    // the form edit is one undo step on the canvas
    await clickPane()
    await page.keyboard.press('Control+z')
    expect(await save()).toEqual(before)
  })

  it('F fits the whole flow in the view', async () => {
    await clickPane()
    const zoomIn = page.locator('.react-flow__controls-zoomin')
    for (let i = 0; i < 4; i++) await zoomIn.click()
    await page.waitForTimeout(300)
    const canvas = (await page.locator('.sb-canvas').boundingBox())!
    const inView = async () => {
      const boxes = await page
        .locator('.react-flow__node')
        .evaluateAll((els) =>
          els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })),
        )
      return boxes.every(
        (b) =>
          b.x >= canvas.x &&
          b.y >= canvas.y &&
          b.x + b.w <= canvas.x + canvas.width &&
          b.y + b.h <= canvas.y + canvas.height,
      )
    }
    expect(await inView()).toBe(false)
    await page.keyboard.press('f')
    await expect.poll(inView, { timeout: 5_000 }).toBe(true)
    expect(await page.locator('.react-flow__node').count()).toBe(document.nodes.length)
  })

  it('pastes a copied selection into another flow through the system clipboard', async () => {
    await clickPane()
    await node('cond').click()
    await node('yes').click({ modifiers: ['Control'] })
    await expect.poll(selected).toEqual(['cond', 'yes'])
    await page.keyboard.press('Control+c')
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toContain('"kind":"switchboard/flow-nodes"')
    // another flow in this tab: the editor's own clipboard is gone, the system clipboard is not
    await page.goto(`${h.base}/builder/flows/${otherFlowId}`)
    await node('start').waitFor()
    await clickPane()
    await page.keyboard.press('Control+v')
    await node('cond').waitFor()
    const target = await save(otherFlowId)
    expect(target.nodes.map((n) => n.id)).toEqual(['start', 'cond', 'yes'])
    expect(target.nodes[1]).toMatchObject({
      type: 'condition',
      title: 'Big order?',
      config: { expression: 'vars.total > 500' },
    })
    expect(target.edges).toEqual([{ from: 'cond', port: 'true', to: 'yes' }])
    expect(errors).toEqual([])
  })
})
