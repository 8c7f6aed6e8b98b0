import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { businessHoursState } from './business-hours-state.js'
import { businessHoursSchema } from './business-hours.js'

const previewInput = z.strictObject({
  businessHours: businessHoursSchema,
  at: z.iso.datetime({ offset: true }).optional().describe('the instant to check; now when not given'),
})

const previewDto = z.object({
  open: z.boolean().describe('within the hours at `at`'),
  nextChangeAt: z.date().nullable().describe('when it next opens or closes; null: never within 400 days'),
  at: z.date(),
  timezone: z.string(),
})

/**
 * Checks a business-hours document before it is saved (the console's editor shows "open now,
 * closes at …"): the same validation and the same calendar as the queues and the flows' node.
 */
export function businessHoursRoutes(): ServerRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/business-hours/preview',
      access: 'supervisor',
      tags: ['calendar'],
      summary: 'Whether a business-hours document is open at an instant, and when that next changes',
      description:
        'Nothing is stored. Invalid documents are answered 400 with each wrong field (e.g. businessHours.weekly.mon.0).',
      payload: previewInput,
      response: previewDto,
      handler: async ({ payload }) => {
        const at = payload.at ? new Date(payload.at) : new Date()
        const state = businessHoursState(payload.businessHours, at)
        return { ...state, at, timezone: payload.businessHours.timezone }
      },
    }),
  ]
}
