import type { Db } from '../storage/index.js'
import type { PiiCipher, PiiField } from './pii-cipher.js'

/**
 * Re-encrypts every stored PII value that is not under the active key. Runs in batches, each
 * in one transaction, so it can be interrupted and run again: values already under the active
 * key are skipped. Keep the old key in the keyring until this has finished.
 */
export interface RotationProgress {
  table: string
  done: number
  total: number
}

interface EncryptedTable {
  table: string
  fields: Partial<Record<string, PiiField>>
  count(db: Db): Promise<number>
  page(db: Db, afterId: string | undefined, size: number): Promise<Array<Record<string, unknown> & { id: string }>>
  update(tx: Db, id: string, data: Record<string, string>): Promise<unknown>
}

const tables: EncryptedTable[] = [
  {
    table: 'Contact',
    fields: {
      nameEnc: 'contact.name',
      emailEnc: 'contact.email',
      phoneEnc: 'contact.phone',
      addressEnc: 'contact.address',
    },
    count: (db) => db.contact.count(),
    page: (db, afterId, size) =>
      db.contact.findMany({
        where: afterId ? { id: { gt: afterId } } : {},
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true, nameEnc: true, emailEnc: true, phoneEnc: true, addressEnc: true },
      }),
    update: (tx, id, data) => tx.contact.update({ where: { id }, data }),
  },
  {
    table: 'ContactIdentity',
    fields: { addressEnc: 'identity.address' },
    count: (db) => db.contactIdentity.count(),
    page: (db, afterId, size) =>
      db.contactIdentity.findMany({
        where: afterId ? { id: { gt: afterId } } : {},
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true, addressEnc: true },
      }),
    update: (tx, id, data) => tx.contactIdentity.update({ where: { id }, data }),
  },
  {
    table: 'Callback',
    fields: { phoneEnc: 'contact.phone' },
    count: (db) => db.callback.count(),
    page: (db, afterId, size) =>
      db.callback.findMany({
        where: afterId ? { id: { gt: afterId } } : {},
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true, phoneEnc: true },
      }),
    update: (tx, id, data) => tx.callback.update({ where: { id }, data }),
  },
  {
    table: 'Plugin',
    fields: { secretsEnc: 'plugin.secrets' },
    count: (db) => db.plugin.count(),
    page: (db, afterId, size) =>
      db.plugin.findMany({
        where: afterId ? { id: { gt: afterId } } : {},
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true, secretsEnc: true },
      }),
    update: (tx, id, data) => tx.plugin.update({ where: { id }, data }),
  },
  {
    table: 'Webhook',
    fields: { secretEnc: 'webhook.secret' },
    count: (db) => db.webhook.count(),
    page: (db, afterId, size) =>
      db.webhook.findMany({
        where: afterId ? { id: { gt: afterId } } : {},
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true, secretEnc: true },
      }),
    update: (tx, id, data) => tx.webhook.update({ where: { id }, data }),
  },
  {
    table: 'WebhookDelivery',
    fields: { dataEnc: 'webhook.payload' },
    count: (db) => db.webhookDelivery.count(),
    page: (db, afterId, size) =>
      db.webhookDelivery.findMany({
        where: afterId ? { id: { gt: afterId } } : {},
        orderBy: { id: 'asc' },
        take: size,
        select: { id: true, dataEnc: true },
      }),
    update: (tx, id, data) => tx.webhookDelivery.update({ where: { id }, data }),
  },
]

export async function reencryptAll(
  db: Db,
  cipher: PiiCipher,
  onProgress?: (p: RotationProgress) => void,
  batchSize = 200,
): Promise<{ reencrypted: number }> {
  let reencrypted = 0
  for (const t of tables) {
    const total = await t.count(db)
    let done = 0
    let afterId: string | undefined
    for (;;) {
      const rows = await t.page(db, afterId, batchSize)
      if (rows.length === 0) break
      const updates = rows
        .map((row) => ({ id: row.id, data: reencryptRow(row, t.fields, cipher) }))
        .filter((u) => Object.keys(u.data).length > 0)
      if (updates.length > 0) {
        await db.$transaction(async (tx) => {
          for (const u of updates) await t.update(tx as Db, u.id, u.data)
        })
      }
      reencrypted += updates.length
      done += rows.length
      afterId = rows.at(-1)!.id
      onProgress?.({ table: t.table, done, total })
    }
  }
  return { reencrypted }
}

/** How many stored values each key id encrypts (to see whether an old key is still needed). */
export async function countValuesByKey(
  db: Db,
  keyIdOf: (stored: string) => string,
  batchSize = 500,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const t of tables) {
    let afterId: string | undefined
    for (;;) {
      const rows = await t.page(db, afterId, batchSize)
      if (rows.length === 0) break
      for (const row of rows) {
        for (const column of Object.keys(t.fields)) {
          const value = row[column]
          if (typeof value === 'string') counts[keyIdOf(value)] = (counts[keyIdOf(value)] ?? 0) + 1
        }
      }
      afterId = rows.at(-1)!.id
    }
  }
  // call recordings are files sealed with a key of the ring (voice/recordings): a key that still
  // seals one cannot be retired, or the recording could no longer be played
  for (const group of await db.callRecording.groupBy({ by: ['keyId'], _count: { _all: true } }))
    counts[group.keyId] = (counts[group.keyId] ?? 0) + group._count._all
  return counts
}

function reencryptRow(
  row: Record<string, unknown>,
  fields: Partial<Record<string, PiiField>>,
  cipher: PiiCipher,
): Record<string, string> {
  const data: Record<string, string> = {}
  for (const [column, field] of Object.entries(fields)) {
    const value = row[column]
    if (typeof value !== 'string' || !field || cipher.keyIdOf(value) === cipher.activeKeyId) continue
    data[column] = cipher.encrypt(field, cipher.decrypt(field, value))
  }
  return data
}
