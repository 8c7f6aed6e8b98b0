import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { ErrorCode, userError } from '../errors/index.js'
import { defineRoute } from '../http/define-route.js'
import type { Scheduler } from '../infra/index.js'
import type { AuditLog } from '../audit/index.js'

const statuses = ['pending', 'running', 'done', 'failed', 'cancelled'] as const
const jobDto = z.object({
  id: z.string(),
  type: z.string(),
  key: z.string().nullable(),
  payload: z.unknown(),
  runAt: z.date(),
  status: z.enum(statuses),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
})
const idParams = z.strictObject({ id: z.string().min(1).max(100) })
const tags = ['jobs']

/** Scheduled work (session expiry today; callbacks, surveys and SLA timers later), for supervisors and admins. */
export function jobsRoutes(scheduler: Scheduler, audit: AuditLog): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/jobs',
      access: 'supervisor',
      tags,
      summary: 'Scheduled jobs, latest run time first',
      query: z.strictObject({
        status: z.enum(statuses).optional(),
        type: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(jobDto),
      handler: async ({ query }) => scheduler.list(query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/jobs/{id}',
      access: 'supervisor',
      tags,
      summary: 'One scheduled job',
      params: idParams,
      response: jobDto,
      async handler({ params }) {
        const job = await scheduler.get(params.id)
        if (!job) throw userError(ErrorCode.NOT_FOUND, `No job ${params.id}`, { status: 404 })
        return job
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/jobs/{id}',
      access: 'admin',
      tags,
      summary: 'Cancel a pending job',
      params: idParams,
      async handler({ params, actor }) {
        if (!(await scheduler.cancel(params.id)))
          throw userError(ErrorCode.NOT_FOUND, `No pending job ${params.id}`, { status: 404 })
        await audit.record(actor, { action: 'job.cancel', targetType: 'job', targetId: params.id })
        return undefined
      },
    }),
  ]
}
