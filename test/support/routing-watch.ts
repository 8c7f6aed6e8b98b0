import { Redis } from 'ioredis'
import type { Db } from '../../core/src/storage/index.js'
import type { AgentChange } from './routing-driver.js'
import { settledChangeAt } from './settled-change.js'

/** An event as published on the cluster's bus (Redis pub/sub), in the order Redis delivered it. */
export interface BusRecord {
  topic: string
  event: Record<string, unknown>
  at: number
}

/** Listens to the cluster's bus the way an instance does: `PSUBSCRIBE <prefix>bus:<pattern>`. */
export async function recordBus(redisUrl: string, prefix: string, patterns: string[]) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 })
  await redis.connect()
  const records: BusRecord[] = []
  const channelPrefix = `${prefix}bus:`
  redis.on('pmessage', (_pattern: string, channel: string, message: string) => {
    records.push({ topic: channel.slice(channelPrefix.length), event: JSON.parse(message), at: Date.now() })
  })
  await redis.psubscribe(...patterns.map((p) => channelPrefix + p))
  return {
    records,
    async close() {
      await redis.quit()
    },
  }
}

interface AgentSample {
  agentId: string
  presence: string
  chatCapacity: number
  load: number
  newestAssignedAt: Date | null
}

/** An observed breach of a routing promise. */
export interface Breach {
  kind: 'over-capacity' | 'unavailable'
  agentId: string
  detail: string
}

/**
 * Reads every agent's presence, capacity and load in one statement (one consistent snapshot of
 * the database) and finds what may not be: an agent holding more chats than their capacity, or
 * any chat while not available, with a conversation given to them after they set that capacity
 * or presence. (An agent whose capacity was lowered below what they hold keeps it: that is not a
 * breach, but nothing new may come until they are below it.)
 */
export async function sampleAgents(db: Db, agentIds: string[], changes: AgentChange[]): Promise<Breach[]> {
  const rows = await db.$queryRawUnsafe<AgentSample[]>(
    `SELECT s."userId" AS "agentId", s.presence,
            COALESCE((s.capacity->>'chat')::int, 0) AS "chatCapacity",
            (SELECT count(*)::int FROM "Conversation" c
              WHERE c."assigneeId" = s."userId" AND c.status = 'assigned') AS load,
            (SELECT max(c."assignedAt") FROM "Conversation" c
              WHERE c."assigneeId" = s."userId" AND c.status = 'assigned') AS "newestAssignedAt"
       FROM "AgentState" s WHERE s."userId" = ANY($1::text[])`,
    agentIds,
  )
  const breaches: Breach[] = []
  for (const row of rows) {
    const newest = row.newestAssignedAt?.getTime() ?? 0
    const capacity = settledChangeAt(changes, row.agentId, 'capacity')
    if (capacity && row.load > row.chatCapacity && newest > capacity.doneAt!)
      breaches.push({
        kind: 'over-capacity',
        agentId: row.agentId,
        detail: `holds ${row.load} chats with capacity ${row.chatCapacity} (set at ${capacity.doneAt}), newest given at ${newest}`,
      })
    const presence = settledChangeAt(changes, row.agentId, 'presence')
    if (presence && row.presence !== 'available' && row.load > 0 && newest > presence.doneAt!)
      breaches.push({
        kind: 'unavailable',
        agentId: row.agentId,
        detail: `${row.presence} since ${presence.doneAt}, given a chat at ${newest}`,
      })
  }
  return breaches
}

/** Samples every `everyMs` until stopped; keeps the breaches and how many samples were taken. */
export function watchAgents(db: Db, agentIds: string[], changes: AgentChange[], everyMs = 100) {
  const breaches: Breach[] = []
  let samples = 0
  let running = true
  const loop = (async () => {
    while (running) {
      breaches.push(...(await sampleAgents(db, agentIds, changes)))
      samples++
      await new Promise((r) => setTimeout(r, everyMs))
    }
  })()
  return {
    breaches,
    get samples() {
      return samples
    },
    async stop() {
      running = false
      await loop
    },
  }
}
