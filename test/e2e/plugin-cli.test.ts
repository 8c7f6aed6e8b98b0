import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli-process.js'

/**
 * `switchboard plugin …` as a plugin author runs it: the built CLI on plugin folders in a temp
 * directory (outside the repository, so the SDK and vitest come from the CLI's own copies), with
 * no server and no database.
 */
/** each step is a process of its own, and `plugin test` runs vitest inside it */
const SLOW = { timeout: 120_000 }
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
const example = fileURLToPath(new URL('../../examples/plugins/store-locator/', import.meta.url))
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-plugin-cli-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** vitest colours its summary when it thinks it may; the assertions read plain text */
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '')
const plugin = (...args: string[]) => {
  const res = runCli(['plugin', ...args], env)
  return { ...res, stdout: plain(res.stdout), stderr: plain(res.stderr) }
}
const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')))
const rulesOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: Array<{ rule: string; severity: string; where: string }> }).findings

function create(name: string, kind: string): string {
  const created = plugin('create', name, '--kind', kind, '--dir', dir)
  expect(created.status, created.stderr).toBe(0)
  return join(dir, name)
}

/** What the author does after `lint` points at the scaffold's texts. */
function writeTexts(root: string, name: string): void {
  edit(join(root, 'plugin.definition.ts'), (text) =>
    text
      .replace(/en: 'TODO:[^']*'/, `en: 'Connects the Acme shop so agents and flows see its records'`)
      .replace(/'zh-CN': 'TODO：[^']*'/, `'zh-CN': '连接 Acme 商城，坐席和流程可以查看其中的记录'`),
  )
  writeFileSync(
    join(root, 'README.md'),
    `# ${name}\n\nConnects the Acme shop to Switchboard. Set the base URL and the API key in the admin console; ` +
      'flows then call its actions and agents see the results.\n\n## 中文\n\n连接 Acme 商城。在管理后台设置地址和密钥后，流程即可调用它的动作，坐席也能看到结果。\n',
  )
  writeFileSync(
    join(root, 'icon.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#e11d48"/></svg>\n',
  )
}

describe.each(['integration', 'channel', 'ai'])('a new %s plugin', (kind) => {
  it('builds, passes its own tests and the sandbox check, and lints clean once its texts are written', SLOW, () => {
    const name = `acme-${kind}`
    const root = create(name, kind)

    const built = plugin('build', root)
    expect(built.status, built.stderr).toBe(0)
    expect(built.stderr).toBe('')
    expect(built.stdout).toMatch(new RegExp(`^✔ Built ${name} 0\\.1\\.0 in .*: dist/manifest\\.json, dist/plugin\\.js`))
    const manifest = JSON.parse(readFileSync(join(root, 'dist/manifest.json'), 'utf8')) as Record<string, unknown>
    expect(manifest).toMatchObject({
      manifestVersion: 1,
      name,
      version: '0.1.0',
      kinds: [kind],
      main: 'dist/plugin.js',
    })
    const bundle = readFileSync(join(root, 'dist/plugin.js'), 'utf8')
    expect(bundle).toMatch(/^"use strict";\nvar __switchboardPlugin = \(\(\) => \{/)
    expect(bundle).not.toMatch(/^\s*(import|export)\s/m)

    const tested = plugin('test', root)
    expect(tested.status, tested.stdout + tested.stderr).toBe(0)
    expect(tested.stdout).toMatch(/Tests\s+3 passed \(3\)/)
    expect(tested.stdout).toMatch(/✔ dist\/plugin\.js loads in a bare sandbox with all \d declared handler\(s\)/)
    expect(existsSync(join(root, 'node_modules')), 'vitest cache kept out of the plugin').toBe(false)

    const first = plugin('lint', root, '--json')
    expect(first.status).toBe(1)
    expect(rulesOf(first.stdout)).toEqual([
      expect.objectContaining({ rule: 'manifest/description-placeholder', severity: 'error', where: 'description.en' }),
      expect.objectContaining({ rule: 'manifest/description-placeholder', where: 'description.zh-CN' }),
      expect.objectContaining({ rule: 'icon/placeholder', severity: 'warning' }),
      expect.objectContaining({ rule: 'readme/scaffold-text', severity: 'error', where: 'README.md' }),
    ])

    writeTexts(root, name)
    const clean = plugin('lint', root)
    expect(clean.stdout).toMatch(new RegExp(`^✔ .*${name} \\(${name} 0\\.1\\.0\\): no problems\\n$`))
    expect(clean.status).toBe(0)
  })
})

describe('plugin create', () => {
  it('refuses a bad name and an existing folder, writing nothing', SLOW, () => {
    for (const name of ['x', 'Acme_orders', 'acme--orders', `a${'b'.repeat(50)}`]) {
      const res = plugin('create', name, '--kind', 'integration', '--dir', dir)
      expect(res.status, name).toBe(2)
      expect(res.stderr).toBe(
        `switchboard: "${name}" is not a valid plugin name: use 2 to 50 lower-case letters, digits and single hyphens, starting with a letter (e.g. erp-acme)\n`,
      )
      expect(existsSync(join(dir, name))).toBe(false)
    }
    mkdirSync(join(dir, 'taken'))
    writeFileSync(join(dir, 'taken', 'notes.txt'), 'mine')
    const taken = plugin('create', 'taken', '--kind', 'ai', '--dir', dir)
    expect(taken.status).toBe(2)
    expect(taken.stderr).toMatch(
      /^switchboard: .*taken already exists; choose another name or --dir \(nothing was written\)\n$/,
    )
    expect(readFileSync(join(dir, 'taken', 'notes.txt'), 'utf8')).toBe('mine')
  })
})

describe('plugin build', () => {
  it('refuses Node built-ins and unresolvable imports: each with file:line, exit code 2, nothing written', SLOW, () => {
    const root = create('bad-imports', 'integration')
    edit(
      join(root, 'src/index.ts'),
      (text) =>
        "import { readFileSync } from 'node:fs'\nimport { helper } from './helper.js'\nimport leftPad from 'left-pad'\n" +
        text.replace('const baseUrl =', 'void readFileSync, void helper, void leftPad\n      const baseUrl ='),
    )
    const res = plugin('build', root)
    expect(res.status).toBe(2)
    expect(res.stderr).toBe(
      'switchboard: Cannot bundle src/index.ts for the sandbox (3 error(s)); nothing was written:\n' +
        '  src/index.ts:1:30: "node:fs" is a Node built-in module; plugin handlers run in a sandbox without Node (use ctx.fetch, ctx.kv, ctx.crypto, ctx.log instead)\n' +
        '  src/index.ts:2:24: Could not resolve "./helper.js"\n' +
        '  src/index.ts:3:21: Could not resolve "left-pad"\n' +
        '    install it in the plugin folder (npm install left-pad) so it is bundled\n',
    )
    expect(existsSync(join(root, 'dist'))).toBe(false)
  })

  it(
    'refuses a definition that makes no valid manifest: every problem with its path, exit code 2, nothing written',
    SLOW,
    () => {
      const root = create('bad-manifest', 'integration')
      edit(join(root, 'plugin.definition.ts'), (text) =>
        text
          .replace("name: 'bad-manifest'", "name: 'Bad_Manifest'")
          .replace("version: '0.1.0'", "version: 'one'")
          .replace("'zh-CN': 'Bad Manifest'", "'zh-CN': ''")
          .replace("hosts: ['config:baseUrl']", "hosts: ['https://api.example.com/']"),
      )
      const res = plugin('build', root)
      expect(res.status).toBe(2)
      expect(res.stderr).toBe(
        'switchboard: plugin.definition.ts does not make a valid manifest (4 problem(s)); nothing was written:\n' +
          '  name: lower-case kebab-case, e.g. erp-woocommerce\n' +
          '  version: a semantic version, e.g. 1.2.0\n' +
          '  title.zh-CN: Too small: expected string to have >=1 characters\n' +
          '  permissions.hosts.0: a host name (api.example.com), a wildcard (*.example.com) or config:<field>\n',
      )
      expect(existsSync(join(root, 'dist'))).toBe(false)

      const noIcon = create('no-icon', 'channel')
      rmSync(join(noIcon, 'icon.svg'))
      const missing = plugin('build', noIcon)
      expect(missing.status).toBe(2)
      expect(missing.stderr).toMatch(/\n {2}icon: icon\.svg does not exist in the plugin folder\n$/)
      expect(existsSync(join(noIcon, 'dist'))).toBe(false)
    },
  )

  it(
    'warns about globals the sandbox lacks, at their source line, and not about ctx.fetch or typeof checks',
    SLOW,
    () => {
      const root = create('uses-globals', 'integration')
      edit(join(root, 'src/index.ts'), (text) =>
        text.replace(
          '      const baseUrl =',
          [
            "      if (typeof process !== 'undefined') ctx.log.info('node')",
            '      const fetch = ctx.fetch',
            '      await new Promise((resolve) => setTimeout(resolve, 1))',
            "      const token = Buffer.from('x').toString('base64')",
            '      void fetch, void token',
            '      const baseUrl =',
          ].join('\n'),
        ),
      )
      const line = (needle: string) =>
        readFileSync(join(root, 'src/index.ts'), 'utf8')
          .split('\n')
          .findIndex((l) => l.includes(needle)) + 1
      const res = plugin('build', root)
      expect(res.status, res.stderr).toBe(0)
      expect(res.stderr).toBe(
        `⚠ src/index.ts:${line('setTimeout')}:38: setTimeout does not exist in the plugin sandbox: the host times calls out (limits.timeoutMs); a handler does not wait\n` +
          `⚠ src/index.ts:${line('Buffer')}:21: Buffer does not exist in the plugin sandbox: work with strings; ctx.crypto hashes and signs\n`,
      )
    },
  )
})

describe('plugin test', () => {
  it('fails when a declared action has no handler, naming it', SLOW, () => {
    const root = create('half-done', 'integration')
    edit(join(root, 'plugin.definition.ts'), (text) =>
      text.replace(
        '  actions: {\n',
        "  actions: {\n    cancelRecord: {\n      title: { en: 'Cancel a record', 'zh-CN': '取消记录' },\n      description: { en: 'Cancels a record', 'zh-CN': '取消一条记录' },\n      input: z.object({ id: z.string().describe('The id') }),\n      output: z.object({ cancelled: z.boolean() }),\n    },\n",
      ),
    )
    const res = plugin('test', root)
    expect(res.status).toBe(1)
    expect(res.stdout).toMatch(/Tests\s+3 passed/)
    expect(res.stdout).toContain(
      '✖ dist/plugin.js in the sandbox: 1 problem(s)\n    actions.cancelRecord is declared in the definition but has no handler\n',
    )
  })
})

describe('plugin lint', () => {
  it('reports every rule a poorly made plugin breaks, each with its rule id; exit code 1', SLOW, () => {
    const root = join(dir, 'poor')
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'poor', version: '1.0.0' }))
    writeFileSync(
      join(root, 'plugin.definition.ts'),
      `import { definePlugin, z } from '@switchboard/plugin-sdk'
export default definePlugin({
  name: 'poor', version: '1.0.0', requires: { core: '>=0.1.0' }, kinds: ['channel'],
  title: { en: 'Poor', 'zh-CN': 'Poor' }, description: { en: 'Description', 'zh-CN': 'TODO' },
  icon: 'icon.svg', readme: 'README.md',
  config: z.object({ url: z.string() }), secrets: z.object({ key: z.string().describe('TODO') }),
  permissions: {},
  channels: { poor: { title: { en: 'Poor', 'zh-CN': '差' }, identityKind: 'poor-user', supports: ['text'] } },
  actions: {
    lookup: { title: { en: 'Lookup', 'zh-CN': '查询' }, description: { en: 'Looks up', 'zh-CN': 'TBD' },
      input: z.object({ id: z.string() }), output: z.object({}) },
  },
})
`,
    )
    writeFileSync(
      join(root, 'src/index.ts'),
      `import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
export default defineHandlers<never>({
  actions: { async lookup(_input: unknown, ctx: { fetch(url: string): Promise<{ status: number }> }) {
    const response = await ctx.fetch('https://api.example.com/x')
    console.log(response.status)
    return {}
  } },
} as never)
`,
    )
    writeFileSync(join(root, 'icon.svg'), 'not an image')
    const res = plugin('lint', root, '--json')
    expect(res.status).toBe(1)
    const findings = rulesOf(res.stdout).map((f) => `${f.severity} ${f.rule} ${f.where}`)
    expect(findings).toEqual([
      'error manifest/description-placeholder description.en',
      'error manifest/description-placeholder description.zh-CN',
      'error action/description-placeholder actions.lookup.description.zh-CN',
      'error config/field-description config.url',
      'error secrets/field-description secrets.key',
      'error action/input-description actions.lookup.input.id',
      'error icon/format icon.svg',
      'error readme/missing README.md',
      'error permissions/hosts-missing permissions.hosts',
      'error permissions/webhooks-missing permissions.webhooks',
      'error package/type-module package.json',
      'warning tests/missing test/',
      'warning sandbox/global src/index.ts:5:5',
    ])

    const text = plugin('lint', root)
    expect(text.status).toBe(1)
    expect(text.stdout).toMatch(/^✖ .*poor \(poor 1\.0\.0\): 11 error\(s\), 2 warning\(s\)\n/)
    expect(text.stdout).toMatch(
      /\n {2}error {4}config\/field-description +config\.url: config field "url" has no description: add \.describe\('…'\) to its schema; forms show it\n/,
    )
  })
})

describe('the example plugin', () => {
  it('examples/plugins/store-locator builds, passes its tests and the sandbox check, and lints clean', SLOW, () => {
    const root = join(dir, 'store-locator')
    cpSync(example, root, { recursive: true, filter: (src) => !/\/(dist|node_modules)(\/|$)/.test(src) })
    const tested = plugin('test', root)
    expect(tested.status, tested.stdout + tested.stderr).toBe(0)
    expect(tested.stderr).toBe('')
    expect(tested.stdout).toMatch(/^✔ Built store-locator 1\.0\.0: 1 action \(findStores\); 1 node \(storeFinder\)/)
    expect(tested.stdout).toMatch(/Tests\s+\d+ passed/)
    const lint = plugin('lint', root)
    expect(lint.stdout, lint.stdout).toMatch(/: no problems\n$/)
    expect(lint.status).toBe(0)
  })
})

describe('from scaffold to installed', () => {
  it('create → test → install → list → configure → enable, on a fresh data directory', SLOW, () => {
    const root = join(dir, 'acme-integration')
    if (!existsSync(join(root, 'dist/manifest.json'))) throw new Error('the integration scaffold test runs first')
    const data = join(dir, 'data')
    const server = { ...env, SWITCHBOARD_DATA_DIR: data, LOG_LEVEL: 'silent' }
    const run = (...args: string[]) => {
      const res = runCli(['plugin', ...args], server)
      return { ...res, stdout: plain(res.stdout), stderr: plain(res.stderr) }
    }
    const init = runCli(['init', '--no-demo'], server)
    expect(init.status, init.stderr).toBe(0)
    const installed = run('install', root)
    expect(installed.status, installed.stderr).toBe(0)
    expect(installed.stdout).toContain('acme-integration')
    const again = run('install', root)
    expect(again.status).toBe(2)
    expect(again.stderr).toMatch(/--upgrade/)

    const listed = run('list')
    expect(listed.status, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(/acme-integration\s+0\.1\.0/)

    const bad = run('configure', 'acme-integration', '--config', '{"baseUrl":"not a url"}')
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/baseUrl/)
    const good = run(
      'configure',
      'acme-integration',
      '--config',
      '{"baseUrl":"https://shop.example.com"}',
      '--secrets',
      '{"apiKey":"k-123"}',
    )
    expect(good.status, good.stderr).toBe(0)
    const enabled = run('enable', 'acme-integration')
    expect(enabled.status, enabled.stderr).toBe(0)
    expect(run('list').stdout).toMatch(/acme-integration\s+0\.1\.0\s+.*enabled/)
  })
})
