import { hoursOn, isOpen, localTime } from './opening-hours.js'
import type { ListedStore } from './store-list.js'

export interface StoreQuery {
  city: string
  district?: string
  service?: string
  openNow: boolean
  at: Date
  limit: number
}

export interface FoundStore {
  id: string
  name: string
  city: string
  district?: string
  address: string
  phone?: string
  todayHours: string | null
  openNow: boolean
  services: string[]
}

/** "上海市" and "Shanghai" match "上海" and "shanghai": case, spaces and the 市/区/县 suffix do not count. */
export function placeKey(place: string): string {
  return place
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/(市|区|县|city|district)$/u, '')
}

function matches(store: ListedStore, query: StoreQuery): boolean {
  if (placeKey(store.city) !== placeKey(query.city)) return false
  if (query.district) {
    const wanted = placeKey(query.district)
    const district = placeKey(store.district ?? '')
    if (!district || !(district.includes(wanted) || wanted.includes(district))) return false
  }
  if (query.service && !(store.services ?? []).some((s) => s.toLowerCase() === query.service!.toLowerCase()))
    return false
  return true
}

/** The stores that match, open ones first, in the list's order otherwise; `total` counts them all. */
export function findStores(
  stores: ListedStore[],
  query: StoreQuery,
  utcOffsetHours: number,
): { stores: FoundStore[]; total: number } {
  const time = localTime(query.at, utcOffsetHours)
  const found = stores
    .filter((store) => matches(store, query))
    .map((store): FoundStore => ({
      id: store.id,
      name: store.name,
      city: store.city,
      district: store.district,
      address: store.address,
      phone: store.phone,
      todayHours: hoursOn(store, time.day),
      openNow: isOpen(store, time),
      services: store.services ?? [],
    }))
    .filter((store) => !query.openNow || store.openNow)
    .sort((a, b) => Number(b.openNow) - Number(a.openNow))
  return { stores: found.slice(0, query.limit), total: found.length }
}
