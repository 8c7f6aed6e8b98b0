import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { cliEnv, freePort, runCli } from '../support/cli-process.js'

/** `switchboard flow …` as a user runs it: the built CLI against a fresh database. */
const examples = fileURLToPath(new URL('../../examples/flows/', import.meta.url))
const orderStatus = join(examples, 'order-status.json')
const exampleFile = JSON.parse(readFileSync(orderStatus, 'utf8')) as {
  name: string
  kind: string
  document: { nodes: unknown[]; edges: unknown[]; tests: unknown[] }
}

const broken = {
  name: 'Broken',
  kind: 'bot',
  description: '',
  document: {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'greet', type: 'send-message', config: { text: 'hi', colour: 'red' } },
      { id: 'beam', type: 'teleport', config: {} },
      { id: 'check', type: 'condition', config: { expression: 'vars.x >' } },
      { id: 'lonely', type: 'send-message', config: { text: 'never' } },
    ],
    edges: [
      { from: 'start', port: 'next', to: 'greet' },
      { from: 'greet', port: 'next', to: 'beam' },
      { from: 'beam', port: 'next', to: 'check' },
      { from: 'check', port: 'true', to: 'ghost' },
    ],
  },
}

const greeter = (tests: unknown[]) => ({
  name: 'Greeter',
  kind: 'bot',
  description: 'Asks for a name and greets',
  document: {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'ask', type: 'ask', config: { prompt: 'Name?', variable: 'name' } },
      { id: 'hello', type: 'send-message', config: { text: 'Hello {{ vars.name }}' } },
    ],
    edges: [
      { from: 'start', port: 'next', to: 'ask' },
      { from: 'ask', port: 'next', to: 'hello' },
    ],
    tests,
  },
})

let db: TestDatabase
let env: Record<string, string>
let dir: string
/** no database and no data directory: `flow validate` and `flow test` must not need them */
const offline = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  SWITCHBOARD_DATA_DIR: '/nonexistent/switchboard-data',
  DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:9/none',
}
const write = (name: string, content: unknown) => {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(content, null, 2))
  return file
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-flow-cli-'))
  db = await createTestDatabase()
  env = cliEnv(db, await freePort(), { LOG_LEVEL: 'warn' })
  const init = runCli(
    ['init', '--admin-email', 'boss@shop.cn', '--admin-password', 'a long enough password', '--no-demo'],
    env,
  )
  expect(init.status, init.stderr).toBe(0)
})
afterAll(async () => {
  await db?.drop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('switchboard flow', () => {
  it('imports an example and publishes it', () => {
    const imported = runCli(['flow', 'import', orderStatus, '--publish'], env)
    expect(imported.stderr).toBe('')
    expect(imported.status).toBe(0)
    expect(imported.stdout).toBe(
      `Created flow "${exampleFile.name}" (bot): ${exampleFile.document.nodes.length} nodes, ` +
        `${exampleFile.document.tests.length} test(s), draft revision 1, published as version 1\n`,
    )
  })

  it('importing a flow of the same name replaces its draft; the list shows version 1 published and draft revision 2', () => {
    const again = runCli(['flow', 'import', orderStatus], env)
    expect(again.status, again.stderr).toBe(0)
    expect(again.stdout).toMatch(
      /^Replaced the draft of flow "Order status bot 订单查询" \(bot\): .* draft revision 2\n$/,
    )

    const list = runCli(['flow', 'list'], env)
    expect(list.status, list.stderr).toBe(0)
    const row = list.stdout.split('\n').find((l) => l.startsWith(exampleFile.name))
    expect(row).toMatch(/Order status bot 订单查询\s+bot\s+v1\s+rev 2\s+\d{4}-\d\d-\d\d \d\d:\d\d/)
    const listed = JSON.parse(runCli(['flow', 'list', '--json'], env).stdout) as Array<Record<string, unknown>>
    expect(listed).toEqual([expect.objectContaining({ name: exampleFile.name, publishedVersion: 1, draftRev: 2 })])
  })

  it('exports the same flow file, to stdout or to a file that validates and passes its tests', () => {
    const exported = runCli(['flow', 'export', exampleFile.name], env)
    expect(exported.status, exported.stderr).toBe(0)
    const file = JSON.parse(exported.stdout) as typeof exampleFile & { description: string }
    expect(Object.keys(file).sort()).toEqual(['description', 'document', 'kind', 'name'])
    expect(file).toMatchObject({ name: exampleFile.name, kind: 'bot' })
    expect(file.document.nodes).toEqual(exampleFile.document.nodes)
    expect(file.document.edges).toEqual(exampleFile.document.edges)
    expect(file.document.tests).toEqual(exampleFile.document.tests)

    const out = join(dir, 'exported.json')
    const toFile = runCli(['flow', 'export', exampleFile.name, '--out', out], env)
    expect(toFile.status, toFile.stderr).toBe(0)
    expect(toFile.stdout).toBe(`Exported flow "${exampleFile.name}" to ${out}\n`)
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(file)
    expect(runCli(['flow', 'test', out], offline).status).toBe(0)

    const missing = runCli(['flow', 'export', 'No such flow'], env)
    expect(missing.status).toBe(2)
    expect(missing.stderr).toBe('switchboard: No flow No such flow\n')
  })

  it('refuses an invalid file whole: every problem named by its node, exit code 2, nothing saved', () => {
    const res = runCli(['flow', 'import', write('broken.json', broken), '--publish'], env)
    expect(res.status).toBe(2)
    expect(res.stdout).toBe('')
    const lines = res.stderr.trim().split('\n')
    expect(lines[0]).toBe('switchboard: flow "Broken" has 6 problem(s); nothing was imported:')
    expect(lines.slice(1).map((l) => l.trim().replace(/:.*$/, '').replace(/\s+/g, ' '))).toEqual([
      'node "greet" invalid-config',
      'node "beam" unknown-node-type',
      'node "check" invalid-expression',
      'node "check" dangling-edge',
      'node "check" missing-port',
      'node "lonely" unreachable',
    ])
    const listed = JSON.parse(runCli(['flow', 'list', '--json'], env).stdout) as Array<{ name: string }>
    expect(listed.map((f) => f.name)).not.toContain('Broken')

    const notJson = join(dir, 'not-json.json')
    writeFileSync(notJson, '{ "name": ')
    const bad = runCli(['flow', 'import', notJson], env)
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/^switchboard: .*not-json\.json is not JSON: /)
  })

  it('validates without the server or the database: exit code 0, or 2 with every problem and its node', () => {
    const ok = runCli(['flow', 'validate', orderStatus], offline)
    expect(ok.stderr).toBe('')
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(
      /^✔ .*order-status\.json: flow "Order status bot 订单查询" is valid \(\d+ nodes, \d+ test\(s\)\)\n$/,
    )

    const res = runCli(['flow', 'validate', write('broken-validate.json', broken)], offline)
    expect(res.status).toBe(2)
    expect(res.stdout).toMatch(/^✖ .*broken-validate\.json: 6 problem\(s\)\n/)
    for (const node of ['greet', 'beam', 'check', 'lonely']) expect(res.stdout).toContain(`node "${node}"`)
    expect(res.stdout).toContain('unknown setting "colour"')
    const json = JSON.parse(runCli(['flow', 'validate', '--json', join(dir, 'broken-validate.json')], offline).stdout)
    expect(json.ok).toBe(false)
    expect(json.problems.map((p: { nodeId?: string }) => p.nodeId)).toEqual([
      'greet',
      'beam',
      'check',
      'check',
      'check',
      'lonely',
    ])

    const noFile = runCli(['flow', 'validate', join(dir, 'nope.json')], offline)
    expect(noFile.status).toBe(2)
    expect(noFile.stderr).toContain('no such file')
  })

  it.each(readdirSync(examples).filter((f) => f.endsWith('.json')))(
    'runs the recorded tests of examples/flows/%s without the database: all pass, exit code 0',
    (file) => {
      const res = runCli(['flow', 'test', join(examples, file)], offline)
      expect(res.status, `${file}\n${res.stdout}${res.stderr}`).toBe(0)
      expect(res.stdout).toMatch(/\n(\d+) passed, 0 failed\n$/)
      expect(res.stdout).not.toContain('✖')
    },
  )

  it('classifies with the built-in NLU trained on an intents file (--intents), still without the database', () => {
    const intents = fileURLToPath(new URL('../../examples/nlu/intents.jsonl', import.meta.url))
    const document = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'ask', type: 'ask', config: { prompt: 'How can I help?', variable: 'question' } },
        { id: 'intent', type: 'classify-intent', config: { intents: ['order_status', 'refund'] } },
        { id: 'agent', type: 'handoff', config: { queue: 'After-sales' } },
      ],
      edges: [
        { from: 'start', port: 'next', to: 'ask' },
        { from: 'ask', port: 'next', to: 'intent' },
        { from: 'intent', port: 'other', to: 'agent' },
      ],
      tests: [
        {
          name: 'a delivery question',
          steps: [{ say: '我的包裹怎么还没到' }, { expect: { vars: { intent: 'order_status' } } }],
        },
      ],
    }
    const file = write('classify.json', { name: 'Classify', kind: 'bot', description: '', document })
    const withNlu = runCli(['flow', 'test', file, '--intents', intents], offline)
    expect(withNlu.status, withNlu.stdout + withNlu.stderr).toBe(0)
    const without = runCli(['flow', 'test', file], offline)
    expect(without.status).toBe(1)
    expect(without.stdout).toContain('expected vars.intent = "order_status", got null')
    const order = runCli(['flow', 'test', orderStatus, '--intents', intents], offline)
    expect(order.status, order.stdout).toBe(0)
  })

  it('a flow file with a failing test: each test ✔/✖ with the failure, exit code 1; an invalid flow: exit code 2', () => {
    const failing = write(
      'greeter.json',
      greeter([
        { name: 'greets by name', steps: [{ say: 'Li' }, { expect: { messages: ['Hello Li'], status: 'completed' } }] },
        { name: 'says bonjour', steps: [{ say: 'Li' }, { expect: { messages: ['Bonjour Li'] } }] },
      ]),
    )
    const res = runCli(['flow', 'test', failing], offline)
    expect(res.status).toBe(1)
    expect(res.stdout.split('\n')).toEqual([
      `Flow "Greeter" (${failing}): 2 test(s)`,
      '  ✔ greets by name',
      '  ✖ says bonjour',
      '      step 1: expected a message containing "Bonjour Li"; the flow sent: "Name?", "Hello Li"',
      '      (the run ended completed)',
      '1 passed, 1 failed',
      '',
    ])
    const report = JSON.parse(runCli(['flow', 'test', '--json', failing], offline).stdout)
    expect(report).toMatchObject({ passed: 1, failed: 1 })

    const invalid = runCli(['flow', 'test', write('broken-test.json', broken)], offline)
    expect(invalid.status).toBe(2)
    expect(invalid.stdout).toContain('node "beam"')
  })
})
