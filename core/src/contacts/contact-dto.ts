import { z } from 'zod'

const channel = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, 'a lower-case channel kind such as phone, email, wechat or webchat')

export const identityInput = z.strictObject({
  channel,
  address: z.string().trim().min(1).max(320).describe('the phone number, email, openid or visitor id on that channel'),
  verified: z.boolean().default(false),
})

export const createContactInput = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(254).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
  address: z.string().trim().min(1).max(1000).optional(),
  language: z.string().max(20).optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).default([]),
  attributes: z.record(z.string(), z.unknown()).default({}),
  identities: z.array(identityInput).max(20).default([]),
})
export type CreateContactInput = z.input<typeof createContactInput>

export const updateContactInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).nullable(),
    email: z.email().max(254).nullable(),
    phone: z.string().trim().min(3).max(40).nullable(),
    address: z.string().trim().min(1).max(1000).nullable(),
    language: z.string().max(20).nullable(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50),
    attributes: z.record(z.string(), z.unknown()),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change')
export type UpdateContactInput = z.infer<typeof updateContactInput>

export const contactDto = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  identities: z.array(z.object({ id: z.string(), channel: z.string(), address: z.string(), verified: z.boolean() })),
  createdAt: z.date(),
  updatedAt: z.date(),
})
export type ContactView = z.infer<typeof contactDto>

export const listContactsQuery = z.strictObject({
  phone: z.string().max(40).optional().describe('exact match, any format (normalized to E.164)'),
  email: z.string().max(254).optional().describe('exact match, case-insensitive'),
  tag: z.string().max(50).optional(),
  q: z.string().trim().max(100).optional().describe('a part of the name, email or phone number, or a contact id'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
