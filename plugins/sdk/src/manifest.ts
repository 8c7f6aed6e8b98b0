import { z } from 'zod'
import { capabilities, capabilityNames } from './capabilities/index.js'
import type { PluginDefinition } from './definition.js'

const localized = z.strictObject({ en: z.string().min(1).max(500), 'zh-CN': z.string().min(1).max(500) })
const jsonSchema = z.record(z.string(), z.unknown()).describe('a JSON Schema (draft 2020-12)')
const identifier = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'camelCase, e.g. getOrder')
const kebab = z.string().regex(/^[a-z][a-z0-9-]{1,49}$/, 'lower-case kebab-case, e.g. erp-woocommerce')
const host = z
  .string()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$|^config:[A-Za-z][A-Za-z0-9_.]*$/,
    'a host name (api.example.com), a wildcard (*.example.com) or config:<field>',
  )
const topic = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'dotted lower-case, e.g. order.updated')

/**
 * The manifest: a plugin's definition as plain JSON (`dist/manifest.json`). The host validates
 * it against this schema, then checks what references what, before running any plugin code.
 *
 * @example
 * ```ts
 * const result = pluginManifest.safeParse(JSON.parse(text))
 * ```
 */
export const pluginManifest = z.strictObject({
  manifestVersion: z.literal(1),
  name: kebab,
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'a semantic version, e.g. 1.2.0'),
  requires: z.strictObject({ core: z.string().min(1).max(100).describe('a semver range, e.g. >=0.1.0 <1.0.0') }),
  kinds: z.array(z.enum(['channel', 'ai', 'integration', 'nodes'])).min(1),
  title: localized,
  description: localized,
  icon: z.string().regex(/^[\w./-]+\.(svg|png)$/, 'a relative path to an .svg or .png file'),
  readme: z.string().regex(/^[\w./-]+\.md$/, 'a relative path to a Markdown file'),
  author: z.string().max(200).optional(),
  homepage: z.string().max(500).optional(),
  main: z.string().regex(/^[\w./-]+\.js$/, 'a relative path to the bundled .js file'),
  config: jsonSchema,
  secrets: jsonSchema,
  permissions: z.strictObject({
    hosts: z.array(host).max(50).default([]),
    storageKb: z.number().int().min(0).max(102_400).default(0),
    webhooks: z
      .array(z.strictObject({ name: kebab, methods: z.array(z.enum(['GET', 'POST'])).min(1) }))
      .max(20)
      .default([]),
    sockets: z
      .array(z.strictObject({ name: kebab }))
      .max(5)
      .default([]),
    events: z
      .strictObject({ emit: z.array(topic).default([]), receive: z.array(topic).default([]) })
      .default({ emit: [], receive: [] }),
  }),
  limits: z
    .strictObject({
      memoryMb: z.number().int().min(8).max(1024).optional(),
      cpuMs: z.number().int().min(1).max(60_000).optional(),
      timeoutMs: z.number().int().min(1).max(300_000).optional(),
    })
    .default({}),
  implements: z.array(z.enum(capabilityNames as [string, ...string[]])).default([]),
  actions: z
    .record(
      identifier,
      z.strictObject({
        title: localized,
        description: localized,
        input: jsonSchema,
        output: jsonSchema,
        cacheSeconds: z.number().int().min(1).max(86_400).optional(),
      }),
    )
    .default({}),
  nodes: z
    .record(
      identifier,
      z.strictObject({
        title: localized,
        description: localized,
        category: z.enum(['messaging', 'logic', 'ai', 'routing', 'tickets', 'integration', 'voice']),
        config: jsonSchema,
        ports: z
          .array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/))
          .min(1)
          .max(20),
        channels: z.array(z.enum(['text', 'voice'])).default(['text', 'voice']),
      }),
    )
    .default({}),
  panels: z
    .record(
      identifier,
      z.strictObject({
        title: localized,
        action: identifier,
        layout: z.enum(['key-value', 'table', 'timeline']),
        fields: z
          .array(
            z.strictObject({
              label: localized,
              path: z.string().min(1).max(200),
              format: z.enum(['text', 'money', 'date', 'link', 'badge']).default('text'),
            }),
          )
          .min(1)
          .max(30),
      }),
    )
    .default({}),
  channels: z
    .record(
      kebab,
      z.strictObject({
        title: localized,
        identityKind: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/),
        supports: z.array(z.enum(['text', 'image', 'file', 'audio', 'quick-replies'])).min(1),
      }),
    )
    .default({}),
})
export type PluginManifest = z.output<typeof pluginManifest>

export interface ManifestProblem {
  path: string
  message: string
}

/**
 * Checks a manifest completely: the schema, then what refers to what (capability methods are
 * actions, panels name actions, channel plugins have a webhook and say what they connect).
 * Returns every problem found, or the parsed manifest.
 *
 * @example
 * ```ts
 * const checked = checkManifest(JSON.parse(text))
 * if (!checked.ok) for (const p of checked.problems) console.error(`${p.path}: ${p.message}`)
 * ```
 */
export function checkManifest(
  value: unknown,
): { ok: true; manifest: PluginManifest } | { ok: false; problems: ManifestProblem[] } {
  const parsed = pluginManifest.safeParse(value)
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(manifest)',
        message: issue.message,
      })),
    }
  const m = parsed.data
  const problems: ManifestProblem[] = []
  for (const capability of m.implements) {
    for (const method of Object.keys(capabilities[capability as keyof typeof capabilities].methods)) {
      if (capability === 'channel') continue
      if (!m.actions[method])
        problems.push({
          path: `implements.${capability}`,
          message: `implementing ${capability} needs an action named "${method}"`,
        })
    }
  }
  for (const [name, panel] of Object.entries(m.panels))
    if (!m.actions[panel.action])
      problems.push({ path: `panels.${name}.action`, message: `no action named "${panel.action}"` })
  const isChannel = m.kinds.includes('channel')
  if (isChannel && Object.keys(m.channels).length === 0)
    problems.push({ path: 'channels', message: 'a channel plugin declares the channel(s) it connects' })
  if (!isChannel && Object.keys(m.channels).length > 0)
    problems.push({ path: 'kinds', message: 'declares channels but not the "channel" kind' })
  for (const w of m.permissions.webhooks)
    if (w.name === 'ws' || w.name === 'upload')
      problems.push({ path: 'permissions.webhooks', message: `"${w.name}" is reserved for the host's socket routes` })
  for (const h of m.permissions.hosts)
    if (h.startsWith('config:')) {
      const field = h.slice('config:'.length).split('.')[0]!
      const properties = (m.config as { properties?: Record<string, unknown> }).properties ?? {}
      if (!(field in properties))
        problems.push({ path: 'permissions.hosts', message: `${h} names no field of the config schema` })
    }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, manifest: m }
}

function schemaOf(type: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const schema = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<string, unknown>
  delete schema.$schema
  return schema
}

/**
 * Turns a definition (with zod schemas) into its JSON manifest; `switchboard plugin build`
 * writes the result to `dist/manifest.json`.
 *
 * @example
 * ```ts
 * writeFileSync('dist/manifest.json', JSON.stringify(toManifest(definition, 'dist/plugin.js'), null, 2))
 * ```
 */
export function toManifest(definition: PluginDefinition, main = 'dist/plugin.js'): PluginManifest {
  const map = <T, R>(record: Record<string, T> | undefined, f: (value: T) => R) =>
    Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, f(v)]))
  const manifest = {
    manifestVersion: 1,
    name: definition.name,
    version: definition.version,
    requires: definition.requires,
    kinds: [...definition.kinds],
    title: definition.title,
    description: definition.description,
    icon: definition.icon,
    readme: definition.readme,
    author: definition.author,
    homepage: definition.homepage,
    main,
    config: schemaOf(definition.config, 'input'),
    secrets: schemaOf(definition.secrets, 'input'),
    permissions: definition.permissions,
    limits: definition.limits ?? {},
    implements: [...(definition.implements ?? [])],
    actions: map(definition.actions, (a) => ({
      title: a.title,
      description: a.description,
      input: schemaOf(a.input, 'input'),
      output: schemaOf(a.output, 'output'),
      cacheSeconds: a.cacheSeconds,
    })),
    nodes: map(definition.nodes, (n) => ({
      title: n.title,
      description: n.description,
      category: n.category,
      config: schemaOf(n.config, 'input'),
      ports: [...n.ports],
      channels: [...(n.channels ?? ['text', 'voice'])],
    })),
    panels: definition.panels ?? {},
    channels: definition.channels ?? {},
  }
  return JSON.parse(JSON.stringify(manifest)) as PluginManifest
}
