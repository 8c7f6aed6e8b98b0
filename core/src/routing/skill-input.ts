import { z } from 'zod'

/** A skill's name as agents and queues use it, e.g. `returns`, `english`, `英语`. */
export const skillName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^,;]*$/, 'a skill name has no commas or semicolons')

/** 1 (basic) … 5 (expert). */
export const skillLevel = z.number().int().min(1, 'levels go from 1 (basic)').max(5, 'to 5 (expert)')
