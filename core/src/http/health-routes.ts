import type { ServerRoute } from '@hapi/hapi'
import type { Infra } from '../infra/index.js'
import type { Db } from '../storage/index.js'
import { pingDatabase } from '../storage/index.js'

export interface HealthReport {
  status: 'ok' | 'error'
  version: string
  uptimeSeconds: number
  database: { status: 'ok' | 'down'; provider: string }
  redis?: { status: 'ok' | 'down' }
  infra: 'memory' | 'redis'
}

/** GET /health: 200 with status "ok" when the database (and Redis, when configured) answer; 503 otherwise. */
export function healthRoutes(deps: { db: Db; infra: Infra; provider: string; version: string }): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/health',
      options: { auth: false, description: 'Liveness and readiness' },
      async handler(request, h) {
        const report: HealthReport = {
          status: 'ok',
          version: deps.version,
          uptimeSeconds: Math.round(process.uptime()),
          database: { status: 'ok', provider: deps.provider },
          infra: deps.infra.kind,
        }
        try {
          await pingDatabase(deps.db)
        } catch (error) {
          // the reason goes to the log, not to this public endpoint
          request.logger.error({ err: error }, 'health: database ping failed')
          report.database = { status: 'down', provider: deps.provider }
          report.status = 'error'
        }
        const redis = await deps.infra.redisStatus()
        if (redis) {
          report.redis = { status: redis }
          if (redis === 'down') report.status = 'error'
        }
        return h.response(report).code(report.status === 'ok' ? 200 : 503)
      },
    },
  ]
}
