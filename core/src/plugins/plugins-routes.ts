import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import {
  callActionInput,
  configureInput,
  installFolderInput,
  installQuery,
  capabilityDto,
  logEntryDto,
  panelDto,
  pluginDetailDto,
  pluginNameParams,
  pluginStatusDto,
} from './plugins-dto.js'
import type { ContactsService } from '../contacts/index.js'
import type { PluginsService } from './plugins-service.js'
import { requestHeadersForPlugin, responseHeadersFromPlugin } from './webhook-http.js'

const tags = ['plugins']

/** The admin API of plugins, and calls into their actions for the console and for testing. */
export function pluginsRoutes(plugins: PluginsService, contacts: ContactsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/plugins',
      access: 'supervisor',
      tags,
      summary: 'Installed plugins with their status and error counters',
      response: z.array(pluginStatusDto),
      handler: async () => plugins.list(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/plugins',
      access: 'admin',
      tags,
      summary: 'Install (or, with ?upgrade=true, upgrade) a plugin from a .tgz made by `npm pack`',
      description:
        'The body is the .tgz itself (e.g. Content-Type application/gzip). The manifest, the core version range and the bundle are checked before anything is stored; a plugin that needs configuration is installed disabled (disabledReason config-invalid).',
      query: installQuery,
      // any content type: the body is checked for gzip itself, after the role check
      rawPayload: { maxBytes: 20 * 1024 * 1024 },
      response: pluginStatusDto,
      status: 201,
      handler: async ({ payload, query, actor }) =>
        plugins.install({ tgz: payload as unknown as Buffer }, { upgrade: query.upgrade, actor }),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/plugins/install-folder',
      access: 'admin',
      tags,
      summary: 'Install (or upgrade) a built plugin from a folder on the server',
      description:
        'For plugins copied onto the server (e.g. with the deployment) rather than uploaded: the folder holds dist/manifest.json and the bundle it names, as `switchboard plugin build` makes them. Checked like an upload.',
      payload: installFolderInput,
      response: pluginStatusDto,
      status: 201,
      handler: async ({ payload, actor }) =>
        plugins.install({ dir: payload.path }, { upgrade: payload.upgrade, actor }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/plugins/{name}',
      access: 'supervisor',
      tags,
      summary: 'One plugin: manifest, readme, configuration (secrets only by name), sandbox figures',
      params: pluginNameParams,
      response: pluginDetailDto,
      handler: async ({ params }) => plugins.get(params.name),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/plugins/{name}/config',
      access: 'admin',
      tags,
      summary: "Save a plugin's configuration and secrets, checked against its schemas",
      params: pluginNameParams,
      payload: configureInput,
      response: pluginStatusDto,
      handler: async ({ params, payload, actor }) => plugins.configure(params.name, payload, actor),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/plugins/{name}/enable',
      access: 'admin',
      tags,
      summary: 'Enable a plugin (also after its circuit breaker disabled it)',
      params: pluginNameParams,
      response: pluginStatusDto,
      handler: async ({ params, actor }) => plugins.setEnabled(params.name, true, actor),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/plugins/{name}/disable',
      access: 'admin',
      tags,
      summary: 'Disable a plugin: flow nodes calling its actions take their error port, its webhooks answer 404',
      params: pluginNameParams,
      response: pluginStatusDto,
      handler: async ({ params, actor }) => plugins.setEnabled(params.name, false, actor),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/plugins/{name}',
      access: 'admin',
      tags,
      summary: 'Uninstall a plugin with its configuration, secrets and stored data',
      params: pluginNameParams,
      handler: async ({ params, actor }) => plugins.uninstall(params.name, actor),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/plugins/{name}/logs',
      access: 'supervisor',
      tags,
      summary: "The plugin's recent log lines and failures on this instance, newest first",
      params: pluginNameParams,
      response: z.array(logEntryDto),
      handler: async ({ params }) => {
        await plugins.get(params.name)
        return plugins.logs(params.name)
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/plugins/{name}/health',
      access: 'admin',
      tags,
      summary: "Run the plugin's health check (e.g. do its credentials work?)",
      params: pluginNameParams,
      response: z.object({ ok: z.boolean(), message: z.string().optional() }),
      handler: async ({ params }) => {
        const result = (await plugins.healthCheck(params.name)) as { ok?: unknown; message?: unknown } | undefined
        return { ok: result?.ok === true, message: typeof result?.message === 'string' ? result.message : undefined }
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/capabilities',
      access: 'supervisor',
      tags,
      summary: 'The capability interfaces, the plugins implementing each, and which one answers',
      response: z.array(capabilityDto),
      handler: async () => plugins.capabilities(),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/capabilities/{name}/provider',
      access: 'admin',
      tags,
      summary: 'Choose the plugin that answers a capability (e.g. erp-orders) when several implement it',
      params: z.strictObject({ name: z.string().min(1).max(50) }),
      payload: z.strictObject({ plugin: z.string().regex(/^[a-z][a-z0-9-]{1,49}$/) }),
      handler: async ({ params, payload, actor }) => plugins.setProvider(params.name, payload.plugin, actor),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/contacts/{id}/panels',
      access: 'agent',
      tags,
      summary: "Screen pop: the plugins' profile panels filled for this contact (orders, parcels, CRM level…)",
      description:
        'One entry per panel of the enabled plugins, with its title, layout and fields to show, and `data` from its action or `error` when that plugin failed. Cached results (actions with `cacheSeconds`) are answered from the cache, with `loadedAt` saying when they were loaded; `refresh=true` loads them again.',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      query: z.strictObject({
        refresh: z
          .enum(['true', 'false'])
          .default('false')
          .transform((v) => v === 'true')
          .describe("true: load every panel again instead of answering from the cache (the agent's refresh)"),
      }),
      response: z.array(panelDto),
      handler: async ({ params, query }) => {
        const contact = await contacts.get(params.id)
        return plugins.loadPanels(
          {
            phone: contact.phone ?? undefined,
            email: contact.email ?? undefined,
            name: contact.name ?? undefined,
            attributes: contact.attributes,
          },
          { fresh: query.refresh },
        )
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/actions/{ref}',
      access: 'agent',
      tags,
      summary: 'Call a plugin action: erp.getOrder (whichever plugin implements the capability) or plugin.action',
      params: z.strictObject({ ref: z.string().regex(/^[a-z][a-z0-9-]*\.[A-Za-z][A-Za-z0-9]*$/) }),
      payload: callActionInput,
      response: z.object({ result: z.unknown() }),
      handler: async ({ params, payload }) => ({ result: await plugins.callAction(params.ref, payload.input) }),
    }),
  ]
}

/**
 * The webhook routes plugins declared (`/hooks/<plugin>/<name>/…`): public, because the caller is
 * the outside service (WeChat's servers); the plugin checks the request's signature. The raw body
 * goes in as text so signatures can be computed over the exact bytes.
 */
export function pluginWebhookRoutes(plugins: PluginsService): ServerRoute[] {
  return (['GET', 'POST'] as const).map((method) => ({
    method,
    path: '/hooks/{plugin}/{route}/{rest*}',
    options: {
      auth: false,
      ...(method === 'POST'
        ? { payload: { parse: false, output: 'data' as const, maxBytes: 1024 * 1024, allow: undefined } }
        : {}),
      handler: async (request, h) => {
        const { plugin, route, rest } = request.params as { plugin: string; route: string; rest?: string }
        const headers = requestHeadersForPlugin(request.headers as Record<string, string | string[] | undefined>)
        const query = Object.fromEntries(
          Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]),
        )
        const body = Buffer.isBuffer(request.payload) ? request.payload.toString('utf8') : ''
        const result = await plugins.webhook(plugin, route, {
          method,
          path: rest ? `/${rest}` : '',
          query,
          headers,
          body,
        })
        const response = h.response(result.body).code(result.status)
        for (const [k, v] of Object.entries(responseHeadersFromPlugin(result.headers))) response.header(k, v)
        return response
      },
    },
  })) as ServerRoute[]
}
