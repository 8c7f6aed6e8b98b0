import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { definePlugin, toManifest, z, type PluginDefinition } from '@switchboard/plugin-sdk'
import * as tar from 'tar'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkInstallable, readPluginTarball, RESERVED_PLUGIN_NAMES } from './plugin-package.js'

const definition = definePlugin({
  name: 'acme-shop',
  version: '1.0.0',
  requires: { core: '>=0.0.0' },
  kinds: ['integration'],
  title: { en: 'Acme shop', 'zh-CN': 'Acme 商店' },
  description: { en: 'Orders of the Acme shop', 'zh-CN': 'Acme 商店的订单' },
  icon: 'icon.svg',
  readme: 'README.md',
  config: z.object({ baseUrl: z.url(), pageSize: z.number().int().default(20) }),
  secrets: z.object({ apiKey: z.string() }),
  permissions: { hosts: ['config:baseUrl'] },
  actions: {
    getOrder: {
      title: { en: 'Get an order', 'zh-CN': '查询订单' },
      description: { en: 'One order by number', 'zh-CN': '按订单号查询' },
      input: z.object({ orderNumber: z.string(), email: z.email().optional() }),
      output: z.object({ number: z.string(), placedAt: z.iso.datetime(), id: z.uuid() }).nullable(),
    },
  },
  nodes: {
    lookup: {
      title: { en: 'Look up', 'zh-CN': '查询' },
      description: { en: 'Looks up', 'zh-CN': '查询' },
      category: 'integration',
      config: z.object({ prefix: z.string().startsWith('A').default('A') }),
      ports: ['found', 'missing'],
    },
  },
})

type Json = Record<string, unknown>
/** the object at a dotted path of a manifest, to change it */
const at = (m: Json, path: string): Json => path.split('.').reduce<Json>((o, key) => o[key] as Json, m)

/** a manifest as JSON, changed by `edit` */
function manifestWith(edit: (m: Json) => void = () => {}): Json {
  const m = toManifest(definition) as unknown as Json
  edit(m)
  return m
}

function problemOf(run: () => unknown): { code?: string; message: string; details?: unknown } {
  try {
    run()
  } catch (error) {
    return error as { code?: string; message: string; details?: unknown }
  }
  throw new Error('expected the manifest to be refused')
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-package-test-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** writes a built plugin under dir/package and returns the folder */
function writePlugin(manifest: Record<string, unknown> = manifestWith()): string {
  const root = join(dir, 'package')
  mkdirSync(join(root, 'dist'), { recursive: true })
  writeFileSync(join(root, 'dist', 'manifest.json'), JSON.stringify(manifest))
  writeFileSync(join(root, 'dist', 'plugin.js'), 'var __switchboardPlugin = { default: {} }')
  writeFileSync(join(root, 'README.md'), '# Acme shop\n')
  writeFileSync(join(root, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  return root
}

/** packs dir's entries (as npm pack does, under package/) into a .tgz in memory */
async function pack(entries: string[] = ['package'], options: { gzip?: boolean } = {}): Promise<Buffer> {
  const file = join(dir, 'out.tar')
  await tar.c({ file, cwd: dir, portable: true, gzip: options.gzip ?? false }, entries)
  const bytes = readFileSync(file)
  rmSync(file)
  return options.gzip ? bytes : gzipSync(bytes)
}

describe('checkInstallable', () => {
  it('accepts a manifest whose schemas compile', () => {
    expect(checkInstallable(manifestWith()).name).toBe('acme-shop')
  })

  it('accepts every first-party plugin and the example', async () => {
    const roots = [
      ...readdirSync(join(import.meta.dirname, '../../../plugins'))
        .filter((name) => name !== 'sdk' && !name.endsWith('.json'))
        .map((name) => join(import.meta.dirname, '../../../plugins', name)),
      join(import.meta.dirname, '../../../examples/plugins/store-locator'),
    ]
    expect(roots.length).toBeGreaterThan(5)
    for (const root of roots) {
      const loaded = (await import(join(root, 'plugin.definition.ts'))) as { default: PluginDefinition }
      expect(checkInstallable(toManifest(loaded.default)).name).toBe(loaded.default.name)
    }
  })

  it.each([...RESERVED_PLUGIN_NAMES])('refuses the reserved name %s', (name) => {
    const error = problemOf(() => checkInstallable(manifestWith((m) => (m.name = name))))
    expect(error.code).toBe('SB_ERR_PLUGIN_MANIFEST_INVALID')
    expect(error.message).toMatch(new RegExp(`"${name}" is reserved.*capability alias.*core's events`))
    expect(error.details).toEqual([{ path: 'name', message: expect.stringMatching(/reserved/) }])
  })

  it('names the rule for capability aliases and event roots, and lets longer names through', () => {
    for (const name of ['erp', 'logistics', 'crm', 'llm', 'speech', 'channel', 'conversation', 'flow', 'auth', 'api'])
      expect(RESERVED_PLUGIN_NAMES.has(name)).toBe(true)
    expect(checkInstallable(manifestWith((m) => (m.name = 'erp-acme'))).name).toBe('erp-acme')
    expect(checkInstallable(manifestWith((m) => (m.name = 'flowers'))).name).toBe('flowers')
  })

  it.each([
    ['config', (m: Json) => (at(m, 'config.properties.baseUrl').type = 'link')],
    ['secrets', (m: Json) => (at(m, 'secrets').required = 'apiKey')],
    ['actions.getOrder.input', (m: Json) => (at(m, 'actions.getOrder.input.properties.orderNumber').minLength = -1)],
    ['actions.getOrder.output', (m: Json) => (at(m, 'actions.getOrder.output').$ref = 'https://example.com/order')],
    ['nodes.lookup.config', (m: Json) => (at(m, 'nodes.lookup.config.properties.prefix').pattern = '([a-')],
  ])('refuses a %s schema that does not compile', (path, edit) => {
    const error = problemOf(() => checkInstallable(manifestWith(edit)))
    expect(error.code).toBe('SB_ERR_PLUGIN_MANIFEST_INVALID')
    expect(error.message).toContain(`${path}: the JSON Schema does not compile`)
    expect(error.details).toEqual([{ path, message: expect.stringMatching(/does not compile/) }])
  })

  it('refuses a schema with an $id, naming where it is', () => {
    const root = problemOf(() =>
      checkInstallable(manifestWith((m) => (at(m, 'config').$id = 'https://acme.example/config'))),
    )
    expect(root.code).toBe('SB_ERR_PLUGIN_MANIFEST_INVALID')
    expect(root.details).toEqual([{ path: 'config', message: expect.stringMatching(/\$id/) }])
    const nested = problemOf(() =>
      checkInstallable(
        manifestWith((m) => (at(m, 'actions.getOrder.input.properties.orderNumber').$id = 'order-number')),
      ),
    )
    expect(nested.details).toEqual([
      { path: 'actions.getOrder.input.properties.orderNumber', message: expect.stringMatching(/\$id/) },
    ])
  })

  it('takes a property named $id, an $id in a default or a const, for what they are', () => {
    const m = manifestWith((m) => {
      at(m, 'config.properties').$id = { type: 'string', default: 'x' }
      at(m, 'config.properties.pageSize').examples = [{ $id: 'data, not a schema' }]
      at(m, 'secrets.properties.apiKey').const = { $id: 'data' }
    })
    expect(checkInstallable(m).name).toBe('acme-shop')
  })
})

describe('readPluginTarball', () => {
  it('reads a plugin packed with npm pack', async () => {
    writePlugin()
    const pkg = await readPluginTarball(await pack())
    expect(pkg.manifest.name).toBe('acme-shop')
    expect(pkg.readme).toBe('# Acme shop\n')
    expect(pkg.icon.startsWith('data:image/svg+xml;base64,')).toBe(true)
  })

  it('extracts regular files only: a linked readme is not followed', async () => {
    const root = writePlugin()
    const outside = join(dir, 'secret.md')
    writeFileSync(outside, 'the server’s secret')
    rmSync(join(root, 'README.md'))
    symlinkSync(outside, join(root, 'README.md'))
    const error = await readPluginTarball(await pack()).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SB_ERR_PLUGIN_MANIFEST_INVALID', message: expect.stringMatching(/no readme/) })
  })

  it('refuses more than 2,000 entries', async () => {
    const root = writePlugin()
    mkdirSync(join(root, 'many'))
    for (let i = 0; i < 2001; i++) writeFileSync(join(root, 'many', `f${i}.txt`), '')
    const error = await readPluginTarball(await pack()).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SB_ERR_PLUGIN_MANIFEST_INVALID',
      message: expect.stringMatching(/refused: it holds more than 2000 entries/),
    })
  })

  it('refuses files of more than 50 MB together, before writing them', async () => {
    const root = writePlugin()
    writeFileSync(join(root, 'zeros.bin'), Buffer.alloc(51 * 1024 * 1024))
    const tgz = await pack()
    expect(tgz.length).toBeLessThan(1024 * 1024)
    const error = await readPluginTarball(tgz).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SB_ERR_PLUGIN_MANIFEST_INVALID',
      message: expect.stringMatching(/refused: it unpacks to more than 50 MB/),
    })
  })

  it('reads no further than the end of the archive', async () => {
    writePlugin()
    const file = join(dir, 'plain.tar')
    await tar.c({ file, cwd: dir, portable: true }, ['package'])
    // a small archive, then 80 MB of zeros after its end: a few hundred KB compressed
    const trailing = gzipSync(Buffer.concat([readFileSync(file), Buffer.alloc(80 * 1024 * 1024)]))
    expect(trailing.length).toBeLessThan(1024 * 1024)
    expect((await readPluginTarball(trailing)).manifest.name).toBe('acme-shop')
  })

  it('stops decompressing once the tar stream passes what the limits allow', async () => {
    writePlugin()
    const file = join(dir, 'plain.tar')
    await tar.c({ file, cwd: dir, portable: true }, ['package'])
    const archive = readFileSync(file)
    // header entries of 2 MB each, which the parser skips unread (past its 1 MB limit for them):
    // no file is declared, but the stream is 60 MB
    const body = Buffer.alloc(2 * 1024 * 1024)
    const skipped = Array.from({ length: 30 }, (_, i) => {
      const header = Buffer.alloc(512)
      new tar.Header({ path: `PaxHeader/${i}`, type: 'ExtendedHeader', size: body.length, mode: 0o644 }).encode(header)
      return [header, body]
    }).flat()
    const bomb = gzipSync(Buffer.concat([...skipped, archive]))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const error = await readPluginTarball(bomb).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SB_ERR_PLUGIN_MANIFEST_INVALID',
      message: expect.stringMatching(/refused: it unpacks to more than \d+ MB/),
    })
  })

  it('refuses an archive compressed twice', async () => {
    writePlugin()
    const twice = gzipSync(await pack(['package'], { gzip: true }))
    const error = await readPluginTarball(twice).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SB_ERR_PLUGIN_MANIFEST_INVALID',
      message: expect.stringMatching(/compressed twice/),
    })
  })

  it('refuses a manifest with a reserved name inside a .tgz', async () => {
    writePlugin(manifestWith((m) => (m.name = 'crm')))
    await expect(readPluginTarball(await pack())).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_MANIFEST_INVALID',
      message: expect.stringMatching(/"crm" is reserved/),
    })
  })
})
