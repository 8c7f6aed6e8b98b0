import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, bearer, type TestApp } from '../support/test-app.js'

let t: TestApp
let admin: string
beforeAll(async () => {
  t = await createTestApp()
  admin = (await t.tokenFor('admin')).token
})
afterAll(() => t?.close())

const json = (res: { payload: string }) => JSON.parse(res.payload)
const call = (method: string, url: string, payload?: unknown) =>
  t.app.server.inject({ method, url, payload: payload as object, headers: bearer(admin) })

const greeter = (greeting: string) => ({
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', config: {} },
    { id: 'ask', type: 'ask', config: { prompt: 'Name?', variable: 'name' } },
    { id: 'hello', type: 'send-message', config: { text: `${greeting} {{ vars.name }}` } },
  ],
  edges: [
    { from: 'start', port: 'next', to: 'ask' },
    { from: 'ask', port: 'next', to: 'hello' },
  ],
})

describe('flow documents and versions', () => {
  it('lists every problem of an invalid document with its node, and saves nothing on import', async () => {
    const broken = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'm', type: 'send-message', config: { text: 'hi {{ vars. }}', colour: 'red' } },
        { id: 'x', type: 'teleport', config: {} },
        { id: 'c', type: 'condition', config: { expression: 'true' } },
        { id: 'lonely', type: 'send-message', config: { text: 'never' } },
      ],
      edges: [
        { from: 'start', port: 'next', to: 'm' },
        { from: 'start', port: 'next', to: 'x' },
        { from: 'm', port: 'nope', to: 'c' },
        { from: 'c', port: 'true', to: 'ghost' },
      ],
    }
    const res = await call('POST', '/api/v1/flows/validate', { document: broken })
    const { ok, problems } = json(res) as { ok: boolean; problems: Array<{ code: string; nodeId?: string }> }
    expect(ok).toBe(false)
    const got = problems.map((p) => `${p.code}@${p.nodeId ?? '-'}`).sort()
    expect(got).toEqual(
      [
        'invalid-config@m',
        'unknown-node-type@x',
        'duplicate-edge@start',
        'dangling-edge@c',
        'missing-port@c',
        'unreachable@lonely',
      ].sort(),
    )
    const before = await t.app.db.flow.count()
    const imported = await call('POST', '/api/v1/flows/import', {
      flow: { name: 'Broken', kind: 'bot', document: broken },
    })
    expect(imported.statusCode).toBe(400)
    expect(json(imported).code).toBe('SB_ERR_FLOW_INVALID')
    expect(json(imported).details.length).toBe(problems.length)
    expect(await t.app.db.flow.count()).toBe(before)
  })

  it('saves drafts by revision (a stale save is 409), publishes, rolls back and diffs', async () => {
    const created = json(
      await call('POST', '/api/v1/flows', { name: 'Greeter', kind: 'bot', document: greeter('Hello') }),
    )
    expect(created).toMatchObject({ draftRev: 1, publishedVersion: null, problems: [] })
    const saved = json(await call('PUT', `/api/v1/flows/${created.id}/draft`, { document: greeter('Hi'), baseRev: 1 }))
    expect(saved.draftRev).toBe(2)
    const stale = await call('PUT', `/api/v1/flows/${created.id}/draft`, { document: greeter('Yo'), baseRev: 1 })
    expect(stale.statusCode).toBe(409)
    expect(json(stale)).toMatchObject({ code: 'SB_ERR_FLOW_STALE', details: { currentRev: 2, yourRev: 1 } })
    expect(json(await call('GET', `/api/v1/flows/${created.id}`)).draft.nodes[2].config.text).toBe('Hi {{ vars.name }}')

    expect(json(await call('POST', `/api/v1/flows/${created.id}/publish`, { note: 'first' }))).toMatchObject({
      version: 1,
    })
    await call('PUT', `/api/v1/flows/${created.id}/draft`, { document: greeter('Howdy'), baseRev: 2 })
    expect(json(await call('POST', `/api/v1/flows/${created.id}/publish`, {}))).toMatchObject({ version: 2 })

    const diff = json(await call('GET', `/api/v1/flows/${created.id}/diff?from=1&to=2`))
    expect(diff.same).toBe(false)
    expect(diff.nodes.changed.map((c: { id: string; configKeys: string[] }) => [c.id, c.configKeys])).toEqual([
      ['hello', ['text']],
    ])
    expect(diff.nodes.added).toEqual([])

    const rolled = json(await call('POST', `/api/v1/flows/${created.id}/rollback`, { version: 1 }))
    expect(rolled.version).toBe(3)
    const versions = json(await call('GET', `/api/v1/flows/${created.id}/versions`))
    expect(
      versions.map((v: { version: number; published: boolean; note: string }) => [v.version, v.published, v.note]),
    ).toEqual([
      [3, true, 'rollback to version 1'],
      [2, false, ''],
      [1, false, 'first'],
    ])
    expect(json(await call('GET', `/api/v1/flows/${created.id}/diff?from=1&to=published`)).same).toBe(true)
    const audit = (await t.app.services.audit.list({ limit: 100 }))
      .filter((a) => a.targetId === created.id)
      .map((a) => a.action)
    expect(audit).toEqual(expect.arrayContaining(['flow.create', 'flow.save-draft', 'flow.publish', 'flow.rollback']))
  })

  it('refuses to publish a draft with problems', async () => {
    const flow = json(await call('POST', '/api/v1/flows', { name: 'Half done', kind: 'bot' }))
    await call('PUT', `/api/v1/flows/${flow.id}/draft`, {
      baseRev: 1,
      document: {
        schemaVersion: 1,
        nodes: [
          { id: 'start', type: 'start', config: {} },
          { id: 'c', type: 'condition', config: { expression: 'true' } },
        ],
        edges: [{ from: 'start', port: 'next', to: 'c' }],
      },
    })
    const res = await call('POST', `/api/v1/flows/${flow.id}/publish`, {})
    expect(res.statusCode).toBe(400)
    expect(json(res).details.map((p: { code: string; nodeId: string }) => `${p.code}@${p.nodeId}`)).toEqual([
      'missing-port@c',
      'missing-port@c',
    ])
    expect(json(await call('GET', `/api/v1/flows/${flow.id}/versions`))).toEqual([])
  })
})

describe('runs', () => {
  it('a running conversation stays on the version it started with; the same event key is applied once', async () => {
    const flow = json(
      await call('POST', '/api/v1/flows/import', {
        flow: { name: 'Pinned', kind: 'bot', document: greeter('Version one,') },
        publish: true,
      }),
    )
    const started = await call('POST', '/api/v1/runs', { flow: 'Pinned', key: 'conv-1:msg-1' })
    expect(started.statusCode).toBe(201)
    const run = json(started)
    expect(run).toMatchObject({ status: 'waiting', outputs: [{ kind: 'message', text: 'Name?' }] })
    expect(json(await call('POST', '/api/v1/runs', { flow: 'Pinned', key: 'conv-1:msg-1' })).duplicate).toBe(true)

    await call('PUT', `/api/v1/flows/${flow.id}/draft`, { document: greeter('Version two,'), baseRev: flow.draftRev })
    await call('POST', `/api/v1/flows/${flow.id}/publish`, {})

    const answered = json(
      await call('POST', `/api/v1/runs/${run.runId}/events`, { kind: 'input', text: 'Li', key: 'conv-1:msg-2' }),
    )
    expect(answered).toMatchObject({ status: 'completed', duplicate: false, variables: { name: 'Li' } })
    expect(answered.outputs).toEqual([{ kind: 'message', text: 'Version one, Li' }])
    const again = json(
      await call('POST', `/api/v1/runs/${run.runId}/events`, { kind: 'input', text: 'Li', key: 'conv-1:msg-2' }),
    )
    expect(again).toMatchObject({ duplicate: true, outputs: [] })
    const late = await call('POST', `/api/v1/runs/${run.runId}/events`, {
      kind: 'input',
      text: 'again',
      key: 'conv-1:msg-3',
    })
    expect(late.statusCode).toBe(409)

    const detail = json(await call('GET', `/api/v1/runs/${run.runId}`))
    expect(detail.flowVersion.version).toBe(1)
    expect(detail.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['start', 'ask', 'ask', 'hello'])
    expect(detail.steps[2].input).toEqual({ kind: 'input', text: 'Li' })
    const fresh = json(await call('POST', '/api/v1/runs', { flow: 'Pinned' }))
    const second = json(await call('POST', `/api/v1/runs/${fresh.runId}/events`, { kind: 'input', text: 'Wang' }))
    expect(second.outputs[0].text).toBe('Version two, Wang')
  })

  it('stops a runaway loop at the step limit and keeps the error in the trace', async () => {
    const loop = {
      schemaVersion: 1,
      settings: { maxSteps: 30 },
      nodes: [
        { id: 'start', type: 'start', config: {} },
        {
          id: 'a',
          type: 'set-variables',
          config: { assignments: [{ name: 'n', value: '$exists(vars.n) ? vars.n + 1 : 1' }] },
        },
      ],
      edges: [
        { from: 'start', port: 'next', to: 'a' },
        { from: 'a', port: 'next', to: 'a' },
      ],
    }
    await call('POST', '/api/v1/flows/import', { flow: { name: 'Loop', kind: 'bot', document: loop }, publish: true })
    const run = json(await call('POST', '/api/v1/runs', { flow: 'Loop' }))
    expect(run.status).toBe('failed')
    expect(run.error).toMatch(/stopped after 30 steps .* it seems to loop \(last nodes: a → a/)
    const detail = json(await call('GET', `/api/v1/runs/${run.runId}`))
    expect(detail.steps.at(-1)).toMatchObject({ nodeType: 'step-limit', error: run.error })
    expect(detail.lastError).toBe(run.error)
  })

  it('simulates a saved flow and an unsaved document, and runs recorded flow tests', async () => {
    const document = {
      ...greeter('Hello'),
      tests: [
        { name: 'greets by name', steps: [{ say: 'Li' }, { expect: { messages: ['Hello Li'], status: 'completed' } }] },
        { name: 'a wrong expectation fails', steps: [{ say: 'Li' }, { expect: { messages: ['Bonjour'] } }] },
      ],
    }
    const flow = json(await call('POST', '/api/v1/flows/import', { flow: { name: 'Tested', kind: 'bot', document } }))
    const sim = json(await call('POST', `/api/v1/flows/${flow.id}/simulate`, { steps: [{ say: 'Zhang' }] }))
    expect(sim.outputs.map((o: { text: string }) => o.text)).toEqual(['Name?', 'Hello Zhang'])
    expect(await t.app.db.flowRun.count({ where: { flowId: flow.id } })).toBe(0)
    const unsaved = json(
      await call('POST', '/api/v1/flows/simulate', { document: greeter('Hey'), steps: [{ say: 'Chen' }] }),
    )
    expect(unsaved.outputs.at(-1).text).toBe('Hey Chen')
    const report = json(await call('POST', `/api/v1/flows/${flow.id}/test`, {}))
    expect(report).toMatchObject({ passed: 1, failed: 1 })
    expect(report.results[1].failures[0].message).toContain('expected a message containing "Bonjour"')
  })

  it('publishes the node-type catalog with titles in both languages and config schemas', async () => {
    const agent = (await t.tokenFor('agent')).token
    const types = json(await t.app.server.inject({ url: '/api/v1/node-types', headers: bearer(agent) })) as Array<{
      type: string
      title: { en: string; 'zh-CN': string }
      configSchema: { type: string }
    }>
    expect(types.length).toBeGreaterThanOrEqual(28)
    for (const type of types) {
      expect(type.title.en && type.title['zh-CN'], type.type).toBeTruthy()
      expect(type.configSchema.type).toBe('object')
    }
    const ports = json(
      await t.app.server.inject({
        method: 'POST',
        url: '/api/v1/node-types/menu/ports',
        headers: bearer(agent),
        payload: { config: { prompt: 'x', choices: [{ key: '1', label: 'a' }] } },
      }),
    )
    expect(ports).toEqual({ ports: ['1', 'no-match', 'timeout'], requiredPorts: ['1'] })
  })
})
