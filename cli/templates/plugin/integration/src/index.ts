import { defineHandlers, pluginError } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'

interface ServiceRecord {
  id: string
  name: string
  status: string
}

/**
 * The handlers run in the host's sandbox: ECMAScript built-ins and `ctx` only (no Node, no
 * global fetch). Inputs arrive parsed with the definition's schemas; outputs are checked.
 */
export default defineHandlers<typeof definition>({
  actions: {
    async getRecord({ id }, ctx) {
      const baseUrl = ctx.config.baseUrl.replace(/\/+$/, '')
      const response = await ctx.fetch(`${baseUrl}/records/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${ctx.secrets.apiKey}`, accept: 'application/json' },
      })
      if (response.status === 404) return null
      if (!response.ok)
        throw pluginError('UPSTREAM_ERROR', `The service answered ${response.status}`, {
          retryable: response.status >= 500,
        })
      const record = (await response.json()) as ServiceRecord
      return { id: record.id, name: record.name, status: record.status }
    },
  },
})
