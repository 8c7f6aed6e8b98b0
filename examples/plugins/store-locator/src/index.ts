import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { findStores } from './find-stores.js'
import { storeMessage } from './store-message.js'
import { loadStores } from './store-list.js'

/**
 * The store locator's handlers. They run in Switchboard's sandbox: ECMAScript and `ctx` only;
 * the store list comes through ctx.fetch (to the host of `storesUrl`) and ctx.cache.
 */
export default defineHandlers<typeof definition>({
  actions: {
    async findStores(input, ctx) {
      const stores = await loadStores(ctx)
      const at = input.at ? new Date(input.at) : new Date()
      return findStores(stores, { ...input, at }, ctx.config.utcOffsetHours)
    },
  },
  nodes: {
    async storeFinder({ config, vars, input }, ctx) {
      const asked = vars[config.cityVariable]
      const city = (typeof asked === 'string' && asked.trim()) || input?.text?.trim()
      if (!city) return { port: 'not-found' }
      let result: ReturnType<typeof findStores>
      try {
        const stores = await loadStores(ctx)
        result = findStores(
          stores,
          { city, openNow: config.openNow, at: new Date(), limit: config.limit },
          ctx.config.utcOffsetHours,
        )
      } catch (error) {
        ctx.log.warn('the store list could not be read', { message: (error as Error).message })
        return { port: 'failed' }
      }
      if (result.stores.length === 0) return { port: 'not-found', vars: { stores: [] } }
      return {
        port: 'found',
        vars: { stores: result.stores },
        messages: [{ text: storeMessage(city, result.stores, config.language) }],
      }
    },
  },
})
