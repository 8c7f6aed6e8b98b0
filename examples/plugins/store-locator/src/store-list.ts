import { pluginError, type PluginContext } from '@switchboard/plugin-sdk/runtime'

/** A store as the shop's list has it. Opening hours per weekday: "10:00-22:00", "" when closed. */
export interface ListedStore {
  id: string
  name: string
  city: string
  district?: string
  address: string
  phone?: string
  openingHours: Partial<Record<Weekday, string>>
  services?: string[]
}

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat'

type Context = PluginContext<{ storesUrl: string; utcOffsetHours: number }, { apiToken?: string }>

const CACHE_KEY = 'stores'
/** the list changes rarely; five minutes keeps every lookup of a busy hour to a few requests */
const CACHE_SECONDS = 300

/** The shop's store list, from the shared cache or from `storesUrl`. */
export async function loadStores(ctx: Context): Promise<ListedStore[]> {
  const cached = await ctx.cache.get(CACHE_KEY)
  if (Array.isArray(cached)) return cached as ListedStore[]
  const headers: Record<string, string> = { accept: 'application/json' }
  if (ctx.secrets.apiToken) headers.authorization = `Bearer ${ctx.secrets.apiToken}`
  const response = await ctx.fetch(ctx.config.storesUrl, { headers })
  if (!response.ok)
    throw pluginError('STORE_LIST_UNAVAILABLE', `The store list answered ${response.status}`, {
      retryable: response.status >= 500 || response.status === 429,
    })
  const body = (await response.json()) as { stores?: ListedStore[] }
  if (!Array.isArray(body.stores))
    throw pluginError('STORE_LIST_INVALID', 'The store list is not { "stores": [ … ] }', { retryable: false })
  await ctx.cache.set(CACHE_KEY, body.stores, CACHE_SECONDS)
  return body.stores
}
