import { z } from 'zod'
import { roleSchema } from './roles.js'

export const loginPayload = z.strictObject({
  email: z.string().trim().min(1).max(254).meta({ example: 'admin@example.com' }),
  password: z.string().min(1).max(1024),
})

export const authUserDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  locale: z.string(),
})

export const loginResponse = z.object({
  token: z
    .string()
    .describe('send as `Authorization: Bearer <token>`; the same login is also set as the sb_session cookie'),
  expiresAt: z.date(),
  user: authUserDto,
})

export const createTokenPayload = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('what the token is for, e.g. "nightly export"'),
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('omit for a token that does not expire'),
})

export const apiTokenDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
})

export const idParams = z.strictObject({ id: z.string().min(1).max(64) })
