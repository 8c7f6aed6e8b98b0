import { z } from 'zod'

const localized = z.object({ en: z.string(), 'zh-CN': z.string() })

export const pluginStatusDto = z.object({
  name: z.string(),
  version: z.string(),
  title: localized,
  description: localized,
  kinds: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().describe('admin | circuit-open | config-invalid'),
  implements: z.array(z.string()),
  actions: z.array(z.string()),
  calls: z.number().describe('calls on this instance since it started'),
  failures: z.number().describe("failures of the plugin's own making on this instance"),
  circuit: z.enum(['closed', 'open', 'half-open']),
  icon: z.string().describe('a data: URL'),
  installedAt: z.string(),
  updatedAt: z.string(),
})

export const pluginDetailDto = pluginStatusDto.extend({
  manifest: z.record(z.string(), z.unknown()),
  readme: z.string(),
  config: z.record(z.string(), z.unknown()),
  secretsSet: z.array(z.string()).describe('the secret fields that have a value; values are never returned'),
  previousVersion: z.string().nullable(),
  sandbox: z.record(z.string(), z.unknown()).nullable(),
})

export const pluginNameParams = z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9-]{1,49}$/) })

export const configureInput = z.strictObject({
  config: z.record(z.string(), z.unknown()).optional(),
  secrets: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('merged over the stored secrets; a field set to null is removed'),
})

export const installQuery = z.strictObject({
  upgrade: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
})

export const installFolderInput = z.strictObject({
  path: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .describe('a built plugin folder on the server (with dist/manifest.json), e.g. /opt/switchboard/plugins/erp-acme'),
  upgrade: z.boolean().default(false).describe('replace an installed version'),
})

export const callActionInput = z.strictObject({ input: z.record(z.string(), z.unknown()).default({}) })

export const logEntryDto = z.object({
  at: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
})

export const panelDto = z.object({
  plugin: z.string(),
  id: z.string(),
  title: localized,
  action: z.string(),
  layout: z.enum(['key-value', 'table', 'timeline']),
  fields: z.array(z.object({ label: localized, path: z.string(), format: z.string() })),
  data: z.unknown().describe("the action's result, null when it failed"),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  loadedAt: z.date().describe('when the data was loaded: earlier than now when it came from the cache'),
  cacheSeconds: z.number().nullable().describe("how long the action's results are cached (null: not cached)"),
})

export const capabilityDto = z.object({
  name: z.string(),
  alias: z.string().describe('the prefix flows use, e.g. erp in erp.getOrder'),
  implementers: z.array(z.object({ plugin: z.string(), enabled: z.boolean() })),
  preferred: z.string().nullable().describe("the admin's choice, if any"),
  answeredBy: z.string().nullable().describe('the enabled plugin that answers now'),
})
