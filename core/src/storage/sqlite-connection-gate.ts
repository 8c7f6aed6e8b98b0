import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3'

/**
 * Prisma's better-sqlite3 adapter has one connection. Its lock makes transactions wait for each
 * other, but a plain query from another request runs at once, on that connection, inside
 * whatever transaction is open: if that transaction rolls back, the other request's write is
 * undone with it (reproduced in sqlite-isolation.test.ts). This gate makes plain queries wait
 * while a transaction holds the connection, and transactions wait for queries in flight.
 */
export function gateSqliteConnection(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory)
  factory.connect = async () => {
    const adapter = await connect()
    let tail: Promise<unknown> = Promise.resolve()
    /** runs `fn` after everything queued before it; the returned promise is fn's */
    const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = tail.then(fn, fn)
      tail = run.catch(() => undefined)
      return run
    }
    for (const method of ['queryRaw', 'executeRaw', 'executeScript'] as const) {
      const original = (adapter[method] as (q: never) => Promise<unknown>).bind(adapter)
      ;(adapter as unknown as Record<string, unknown>)[method] = (query: never) => exclusive(() => original(query))
    }
    const startTransaction = adapter.startTransaction.bind(adapter)
    adapter.startTransaction = (isolationLevel) => {
      // the gate stays closed from BEGIN until the transaction commits or rolls back
      let open!: () => void
      const closed = new Promise<void>((resolve) => (open = resolve))
      return exclusive(async () => {
        const tx = await startTransaction(isolationLevel).catch((error: unknown) => {
          open()
          throw error
        })
        void exclusive(() => closed)
        const commit = tx.commit.bind(tx)
        const rollback = tx.rollback.bind(tx)
        tx.commit = async () => commit().finally(open)
        tx.rollback = async () => rollback().finally(open)
        return tx
      })
    }
    return adapter
  }
  return factory
}
