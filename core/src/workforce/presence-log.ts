import type { Db } from '../storage/index.js'

/**
 * Appends one presence change to the log that actual staffing is computed from. Routing calls it
 * wherever an agent's presence is written; `at` is business time (the app's clock).
 */
export async function logPresenceChange(db: Db, change: { userId: string; presence: string; at: Date }): Promise<void> {
  await db.agentPresenceChange.create({ data: change })
}
