import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, type TestApp } from '../support/test-app.js'

// What the flow builder reads besides the flows CRUD: templates, expression fields of node
// types, and the list's status columns.
let t: TestApp
let admin: string
beforeAll(async () => {
  t = await createTestApp()
  admin = (await t.tokenFor('admin')).token
})
afterAll(() => t?.close())

const root = join(import.meta.dirname, '../..')
const json = (res: { payload: string }) => JSON.parse(res.payload)
const call = (method: string, url: string, payload?: unknown) =>
  t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin) })

describe('flow builder API', () => {
  it('GET /api/v1/flow-templates lists the example flows with their documents, and each creates a valid flow', async () => {
    const res = await call('GET', '/api/v1/flow-templates')
    expect(res.statusCode).toBe(200)
    const templates = json(res) as Array<{
      id: string
      name: string
      kind: string
      nodeCount: number
      document: unknown
    }>
    const files = readdirSync(join(root, 'examples/flows')).filter((f) => f.endsWith('.json'))
    expect(templates.map((x) => `${x.id}.json`).sort()).toEqual(files.sort())
    const order = templates.find((x) => x.id === 'order-status')!
    expect(order.kind).toBe('bot')
    expect(order.nodeCount).toBeGreaterThan(10)
    const created = await call('POST', '/api/v1/flows', {
      name: 'From template',
      kind: order.kind,
      document: order.document,
    })
    expect(created.statusCode, created.payload).toBe(201)
    expect(json(created).problems).toEqual([])
  })

  it('node types say which config fields hold expressions, and include the note type', async () => {
    const types = json(await call('GET', '/api/v1/node-types')) as Array<{
      type: string
      ports: string[] | null
      expressionFields: Array<{ path: string; kind: string }>
    }>
    expect(types.find((x) => x.type === 'condition')!.expressionFields).toEqual([
      { path: 'expression', kind: 'expression' },
    ])
    expect(types.find((x) => x.type === 'note')!.ports).toEqual([])
  })

  it('the flow list says whether the draft differs from the published version, and who changed it last', async () => {
    const created = json(await call('POST', '/api/v1/flows', { name: 'Status columns', kind: 'bot' })) as { id: string }
    const row = async () =>
      (
        json(await call('GET', '/api/v1/flows')) as Array<{
          id: string
          draftChanged: boolean
          updatedBy: string | null
        }>
      ).find((f) => f.id === created.id)!
    expect((await row()).draftChanged).toBe(true)
    expect((await row()).updatedBy).toMatch(/@/)
    const flow = json(await call('GET', `/api/v1/flows/${created.id}`)) as {
      draftRev: number
      draft: { nodes: unknown[] }
    }
    const document = {
      ...flow.draft,
      nodes: [...flow.draft.nodes, { id: 'bye', type: 'end', config: {} }],
      edges: [{ from: 'start', port: 'next', to: 'bye' }],
    }
    expect(
      (await call('PUT', `/api/v1/flows/${created.id}/draft`, { document, baseRev: flow.draftRev })).statusCode,
    ).toBe(200)
    expect((await call('POST', `/api/v1/flows/${created.id}/publish`, {})).statusCode).toBe(201)
    expect((await row()).draftChanged).toBe(false)
  })

  it('POST /api/v1/flows/diff compares two unsaved documents (mine against theirs); a malformed one is a 400', async () => {
    const order = JSON.parse(
      (await import('node:fs')).readFileSync(join(root, 'examples/flows/order-status.json'), 'utf8'),
    ) as {
      document: { nodes: Array<{ id: string; title?: string; position?: { x: number; y: number } }>; edges: unknown[] }
    }
    const before = order.document
    const after = structuredClone(before)
    after.nodes[1]!.title = 'Renamed'
    after.nodes[2]!.position = { x: 999, y: 999 }
    after.nodes.pop()
    const res = await call('POST', '/api/v1/flows/diff', { before, after })
    expect(res.statusCode).toBe(200)
    const diff = json(res)
    expect(diff.same).toBe(false)
    expect(diff.nodes.changed.map((c: { id: string; fields: string[] }) => [c.id, c.fields])).toEqual([
      [before.nodes[1]!.id, ['title']],
    ])
    expect(diff.nodes.moved).toEqual([before.nodes[2]!.id])
    expect(diff.nodes.removed.map((n: { id: string }) => n.id)).toEqual([before.nodes.at(-1)!.id])
    expect(json(await call('POST', '/api/v1/flows/diff', { before, after: before })).same).toBe(true)
    const bad = await call('POST', '/api/v1/flows/diff', { before, after: { nodes: 'x' } })
    expect(bad.statusCode).toBe(400)
    expect(json(bad).code).toBe('SB_ERR_FLOW_INVALID')
  })
})
