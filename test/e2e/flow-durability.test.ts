import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { api, cliEnv, freePort, login, printedAdmin, startServer, type RunningServer } from '../support/cli-process.js'

/**
 * Issue 3's durability promises against the real server process: a run waiting for input and
 * a 2-second timer both survive `kill -9`; the same inbound event delivered twice is applied once.
 */
const flow = {
  name: 'Durable order bot',
  kind: 'bot',
  document: {
    schemaVersion: 1,
    variables: { greeted: true },
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'ask', type: 'ask', config: { prompt: 'Order number?', variable: 'order', validate: 'number' } },
      { id: 'wait', type: 'wait', config: { duration: '2s' } },
      { id: 'done', type: 'create-ticket', config: { subject: 'Order {{ vars.order }} follow-up' } },
    ],
    edges: [
      { from: 'start', port: 'next', to: 'ask' },
      { from: 'ask', port: 'next', to: 'wait' },
      { from: 'wait', port: 'next', to: 'done' },
    ],
  },
}

let db: TestDatabase
let env: Record<string, string>
let server: RunningServer | undefined
let token: string

beforeAll(async () => {
  db = await createTestDatabase()
  env = cliEnv(db, await freePort(), { SWITCHBOARD_DEMO: 'false' })
  server = await startServer(env)
  const admin = printedAdmin(server.output())
  token = await login(server.url, admin.email, admin.password)
  const imported = await api(server.url, '/api/v1/flows/import', token, {
    method: 'POST',
    body: { flow, publish: true },
  })
  expect(imported.status).toBe(201)
})
afterAll(async () => {
  await server?.stop()
  await db.drop()
})

type Turn = {
  runId: string
  status: string
  outputs: Array<{ kind: string; text?: string }>
  variables: Record<string, unknown>
  duplicate: boolean
}

describe('durable runs across kill -9', () => {
  it('a waiting run continues after a restart with its variables; a 2 s timer set before the kill fires after it; duplicates apply once', async () => {
    const started = await api<Turn>(server!.url, '/api/v1/runs', token, {
      method: 'POST',
      body: { flow: flow.name, variables: { customer: 'Ms. Li' }, key: 'webchat:m1' },
    })
    expect(started.body).toMatchObject({ status: 'waiting', outputs: [{ kind: 'message', text: 'Order number?' }] })
    const runId = started.body.runId

    await server!.kill9()
    server = await startServer(env)
    // the login survived too: sessions are in the database

    const answered = await api<Turn>(server.url, `/api/v1/runs/${runId}/events`, token, {
      method: 'POST',
      body: { kind: 'input', text: '12345', key: 'webchat:m2' },
    })
    expect(answered.status).toBe(200)
    expect(answered.body).toMatchObject({
      status: 'waiting',
      variables: { customer: 'Ms. Li', greeted: true, order: 12345 },
      duplicate: false,
    })
    const duplicate = await api<Turn>(server.url, `/api/v1/runs/${runId}/events`, token, {
      method: 'POST',
      body: { kind: 'input', text: '12345', key: 'webchat:m2' },
    })
    expect(duplicate.body.duplicate).toBe(true)

    // the run now waits on a 2-second timer; kill before it is due
    await server.kill9()
    server = await startServer(env)
    const deadline = Date.now() + 15_000
    type RunView = { status: string; variables: Record<string, unknown>; steps: Array<{ nodeId: string }> }
    let run: RunView | undefined
    while (Date.now() < deadline) {
      run = (await api<RunView>(server.url, `/api/v1/runs/${runId}`, token)).body
      if (run.status === 'completed') break
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(run?.status).toBe('completed')
    expect(run!.steps.map((s) => s.nodeId)).toEqual(['start', 'ask', 'ask', 'wait', 'wait', 'done'])
    // the last node really ran: it opened a ticket and kept its number
    expect(String(run!.variables.ticketId)).toMatch(/^\d+$/)
  })
})
