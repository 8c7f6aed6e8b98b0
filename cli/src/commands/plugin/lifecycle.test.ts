import { Command } from 'commander'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const status = {
  name: 'erp-acme',
  version: '1.2.0',
  title: { en: 'Acme', 'zh-CN': 'Acme' },
  description: { en: 'Acme', 'zh-CN': 'Acme' },
  kinds: ['integration'],
  enabled: true,
  disabledReason: null,
  implements: ['erp-orders'],
  actions: ['getOrder'],
  // what the CLI's own process counts: always nothing
  calls: 0,
  failures: 0,
  circuit: 'closed',
  icon: '',
  installedAt: '2026-11-21T00:00:00.000Z',
  updatedAt: '2026-11-21T00:00:00.000Z',
}

vi.mock('../../support/with-app.js', () => ({
  withApp: async (run: (app: unknown) => Promise<unknown>) =>
    run({ services: { plugins: { list: async () => [status] } } }),
}))

const { registerPlugin } = await import('./plugin.js')
const { registerPluginLifecycle } = await import('./lifecycle.js')

function program(): Command {
  const p = new Command().exitOverride()
  registerPlugin(p)
  registerPluginLifecycle(p)
  return p
}

const subcommand = (name: string) =>
  program()
    .commands.find((c) => c.name() === 'plugin')!
    .commands.find((c) => c.name() === name)!

let out = ''
beforeEach(() => {
  out = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('switchboard plugin install', () => {
  it('says the definition is evaluated in Node when building from source, and the bundle checked in the sandbox', () => {
    const text = subcommand('install').description()
    expect(text).toMatch(/evaluates the definition in Node \(not in the sandbox\)/)
    expect(text).toMatch(/bundle is loaded in the sandbox/)
    expect(text).not.toMatch(/code loaded in the sandbox/)
  })
})

describe('switchboard plugin list', () => {
  it('shows no counters of its own process, and says where the live figures are', async () => {
    await program().parseAsync(['node', 'switchboard', 'plugin', 'list'])
    const [header] = out.split('\n')
    expect(header).toMatch(/^name\s+version\s+kinds\s+state$/)
    expect(out).toMatch(/erp-acme\s+1\.2\.0\s+integration\s+enabled/)
    // the row ends with the state: no counters after it
    expect(out).toMatch(/enabled\n/)
    expect(out).toContain('GET /api/v1/plugins/{name}')
    expect(subcommand('list').description()).toContain('GET /api/v1/plugins/{name}')
  })

  it('leaves them out of --json as well', async () => {
    await program().parseAsync(['node', 'switchboard', 'plugin', 'list', '--json'])
    const [listed] = JSON.parse(out) as Array<Record<string, unknown>>
    expect(listed).toMatchObject({ name: 'erp-acme', version: '1.2.0', enabled: true })
    for (const figure of ['calls', 'failures', 'circuit']) expect(listed).not.toHaveProperty(figure)
  })
})
