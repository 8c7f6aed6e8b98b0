import { cliEnv, freePort, printedAdmin, startServer, type RunningServer } from './cli-process.js'
import type { TestDatabase } from './test-database.js'

/** One `switchboard start` process of a cluster. */
export interface ClusterInstance {
  index: number
  url: string
  server: RunningServer
  /** false once it was killed or stopped */
  alive: boolean
}

export interface CoreCluster {
  instances: ClusterInstance[]
  /** the first admin, printed by the instance that initialised the database */
  admin: { email: string; password: string }
  /** the Redis key prefix the instances share (their bus channels start with `<prefix>bus:`) */
  redisPrefix: string | undefined
  alive(): ClusterInstance[]
  /** SIGKILL: the instance gets no chance to release locks or finish work */
  kill9(index: number): Promise<void>
  stop(): Promise<void>
}

/**
 * Several real core processes behind no load balancer, each on its own 127.0.0.1 port, sharing
 * one database, one data directory (secrets) and, when the suite has one, one Redis under one
 * key prefix: as several instances of one install. The first one initialises the database (with
 * the demo data unless `extra` sets SWITCHBOARD_DEMO=false); the others start once it is up.
 */
export async function startCluster(
  db: TestDatabase,
  size: number,
  extra: Record<string, string> = {},
): Promise<CoreCluster> {
  const base = cliEnv(db, 0, { HOST: '127.0.0.1', ...extra })
  const envFor = async () => ({ ...base, PORT: String(await freePort()) })
  const first = await startServer(await envFor())
  const admin = printedAdmin(first.output())
  const started = await Promise.allSettled(Array.from({ length: size - 1 }, async () => startServer(await envFor())))
  const others = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    await Promise.all([first, ...others].map((server) => server.kill9()))
    throw failed.reason
  }
  const instances = [first, ...others].map((server, index) => ({ index, url: server.url, server, alive: true }))
  return {
    instances,
    admin,
    redisPrefix: base.SWITCHBOARD_REDIS_PREFIX,
    alive: () => instances.filter((i) => i.alive),
    async kill9(index) {
      const instance = instances[index]!
      instance.alive = false
      await instance.server.kill9()
    },
    async stop() {
      await Promise.all(
        instances
          .filter((i) => i.alive)
          .map(async (i) => {
            i.alive = false
            await i.server.stop()
          }),
      )
    },
  }
}
