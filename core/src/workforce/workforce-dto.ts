import { IANAZone } from 'luxon'
import { z } from 'zod'

/** The longest one shift may be. */
export const MAX_SHIFT_HOURS = 16
/** The longest range one shift listing covers. */
export const MAX_LIST_DAYS = 62

const id = z.string().min(1).max(64)
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, e.g. 09:00')
  .describe('time of day, HH:MM (24 h)')
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export const shiftDto = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string().nullable(),
  queueId: z.string().nullable().describe('null: every queue the agent is a member of'),
  startsAt: z.date(),
  endsAt: z.date(),
  note: z.string(),
  createdById: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type ShiftView = z.infer<typeof shiftDto>

export const createShiftInput = z.strictObject({
  userId: id.describe('the agent'),
  queueId: id.nullable().optional().describe('only for this queue (default: every queue the agent is a member of)'),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date().describe(`after startsAt, at most ${MAX_SHIFT_HOURS} h later`),
  note: z.string().trim().max(500).default(''),
})
export type CreateShiftInput = z.input<typeof createShiftInput>

export const updateShiftInput = z.strictObject({
  userId: id.optional(),
  queueId: id.nullable().optional(),
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date().optional(),
  note: z.string().trim().max(500).optional(),
})
export type UpdateShiftInput = z.input<typeof updateShiftInput>

export const listShiftsQuery = z.strictObject({
  from: z.coerce.date().describe('shifts that end after this moment'),
  to: z.coerce.date().describe(`and start before this one (at most ${MAX_LIST_DAYS} days after from)`),
  userId: id.optional(),
  queueId: id.optional(),
})
export type ListShiftsQuery = z.input<typeof listShiftsQuery>

export const bulkShiftsInput = z.strictObject({
  userIds: z.array(id).min(1).max(200),
  days: z.array(z.enum(WEEKDAYS)).min(1).max(7).describe('the weekdays with a shift'),
  from: clockTime.describe('shift start, HH:MM in `timezone`'),
  to: clockTime.describe('shift end, HH:MM; at or before `from` means it ends the next day'),
  timezone: z
    .string()
    .min(1)
    .max(64)
    .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone, e.g. Asia/Shanghai'),
  weekOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
    .describe('any day of the first week (weeks start on Monday)'),
  weeks: z.number().int().min(1).max(8).default(1).describe('how many weeks in a row'),
  queueId: id.nullable().optional(),
  note: z.string().trim().max(500).default(''),
})
export type BulkShiftsInput = z.input<typeof bulkShiftsInput>
