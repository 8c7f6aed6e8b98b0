import { z } from 'zod'
import { businessHoursSchema } from '../calendar/index.js'

export const queueMemberDto = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  standby: z.boolean(),
})

export const queueDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  priority: z.number(),
  requiredSkills: z.array(z.object({ skill: z.string(), minLevel: z.number() })),
  agingPerMinute: z.number(),
  overflowAfterSeconds: z.number().nullable(),
  stickyMinutes: z.number(),
  businessHours: businessHoursSchema.nullable(),
  teamId: z.string().nullable(),
  members: z.array(queueMemberDto),
  waiting: z.number().describe('conversations waiting in it now'),
  oldestQueuedAt: z.date().nullable().describe('when the longest-waiting one was queued'),
  longestWaitMs: z.number().describe('how long that one has waited'),
  open: z.boolean().describe('within its business hours now (always true without hours)'),
  nextChangeAt: z.date().nullable().describe('when it next opens or closes; null: never (or no hours)'),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type QueueView = z.infer<typeof queueDto>
