import { z } from 'zod'
import { roleSchema } from '../auth/index.js'

export const locales = ['en', 'zh-CN'] as const
const password = z.string().min(10, 'must be at least 10 characters').max(1024)

export const idParams = z.strictObject({ id: z.string().min(1).max(64) })

export const userDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  locale: z.enum(locales),
  active: z.boolean(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type UserView = z.infer<typeof userDto>

export const createUserInput = z.strictObject({
  email: z
    .email()
    .max(254)
    .transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1).max(100).optional(),
  password,
  role: roleSchema,
  locale: z.enum(locales).default('en'),
  teamIds: z.array(z.string()).max(50).default([]),
})
export type CreateUserInput = z.input<typeof createUserInput>

export const updateUserInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: roleSchema,
    locale: z.enum(locales),
    active: z.boolean(),
    password,
    teamIds: z.array(z.string()).max(50),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateUserInput = z.infer<typeof updateUserInput>

export const updateProfileInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    locale: z.enum(locales),
    password,
    currentPassword: z.string().max(1024),
  })
  .partial()
  .refine((v) => !v.password || v.currentPassword, {
    message: 'give currentPassword to set a new password',
    path: ['currentPassword'],
  })

export const listUsersQuery = z.strictObject({
  role: roleSchema.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  teamId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
