import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import type { AuditLog } from './audit-log.js'

const auditEventDto = z.object({
  id: z.string(),
  at: z.date(),
  actorUserId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.unknown(),
  ip: z.string().nullable(),
})

export function auditRoutes(audit: AuditLog): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/audit',
      access: 'admin',
      tags: ['audit'],
      summary: 'The audit log of administrative actions, newest first',
      description: 'Page backwards with `before` set to the `at` of the last event of the previous page.',
      query: z.strictObject({
        action: z.string().max(100).optional().describe('e.g. user.create'),
        actorUserId: z.string().max(64).optional(),
        before: z.coerce.date().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(auditEventDto),
      handler: async ({ query }) => audit.list(query),
    }),
  ]
}
