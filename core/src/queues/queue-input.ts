import { z } from 'zod'
import { businessHoursSchema } from '../calendar/index.js'
import { skillLevel, skillName } from '../routing/index.js'

const skillRequirement = z.union([
  skillName.transform((skill) => ({ skill, minLevel: 1 })),
  z.strictObject({ skill: skillName, minLevel: skillLevel.default(1) }),
])

const requiredSkills = z
  .array(skillRequirement)
  .max(20)
  .refine((skills) => new Set(skills.map((s) => s.skill)).size === skills.length, 'names a skill more than once')
  .describe('skill names (least level 1) or { skill, minLevel } an agent needs to take work from the queue')

export const id = z.string().min(1).max(64)

const queueFields = {
  name: z.string().trim().min(1).max(100).describe('unique; flows hand off to a queue by its name'),
  description: z.string().max(1000),
  priority: z.number().int().min(-1000).max(1000).describe('added to the priority of every conversation in it'),
  requiredSkills,
  agingPerMinute: z.number().int().min(0).max(1000).describe('priority points a conversation gains per minute waited'),
  overflowAfterSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .nullable()
    .describe('after this wait the standby members may take it; null: no overflow'),
  stickyMinutes: z
    .number()
    .int()
    .min(0)
    .max(43_200)
    .describe('a returning customer goes to their previous agent if served within this many minutes; 0: off'),
  businessHours: businessHoursSchema
    .nullable()
    .describe('weekly hours in a time zone, holidays, closed and open dates; null: always open'),
  teamId: id.nullable().describe('the team whose supervisors watch it; null: every supervisor'),
}

export const createQueueInput = z.strictObject({
  name: queueFields.name,
  description: queueFields.description.default(''),
  priority: queueFields.priority.default(0),
  requiredSkills: queueFields.requiredSkills.default([]),
  agingPerMinute: queueFields.agingPerMinute.default(1),
  overflowAfterSeconds: queueFields.overflowAfterSeconds.default(null),
  stickyMinutes: queueFields.stickyMinutes.default(0),
  businessHours: queueFields.businessHours.default(null),
  teamId: queueFields.teamId.default(null),
})
export type CreateQueueInput = z.input<typeof createQueueInput>

export const updateQueueInput = z
  .strictObject(queueFields)
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'give at least one field to change')
export type UpdateQueueInput = z.input<typeof updateQueueInput>

const member = z.strictObject({
  userId: id,
  standby: z.boolean().default(false).describe('standby members take work only after the overflow wait'),
})

export const replaceMembersInput = z.strictObject({
  members: z
    .array(member)
    .max(1000)
    .refine((list) => new Set(list.map((m) => m.userId)).size === list.length, 'names a user more than once'),
})
export type ReplaceMembersInput = z.input<typeof replaceMembersInput>

export const memberInput = z.strictObject({ standby: member.shape.standby })
