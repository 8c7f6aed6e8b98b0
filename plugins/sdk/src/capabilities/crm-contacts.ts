import { z } from 'zod'

/**
 * A customer as the CRM knows them: the level and tags routing and agents use.
 *
 * @example
 * ```ts
 * const c: CrmContact = { externalId: 'c-88', name: 'Li Na', level: 'VIP2', tags: ['repeat-buyer'], attributes: {} }
 * ```
 */
export const crmContact = z.object({
  externalId: z.string(),
  name: z.string().optional(),
  level: z.string().optional().describe('VIP level, e.g. VIP1'),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  url: z.string().optional(),
})
export type CrmContact = z.infer<typeof crmContact>

/** `crm-contacts`: find a customer and enrich the contact with what the CRM knows. */
export const crmContacts = {
  name: 'crm-contacts',
  alias: 'crm',
  title: { en: 'CRM contacts', 'zh-CN': 'CRM 客户' },
  methods: {
    lookupContact: {
      input: z.object({
        phone: z.string().max(32).optional().describe("the customer's phone number, any format"),
        email: z.string().max(200).optional().describe("the customer's email address"),
        externalId: z.string().max(100).optional().describe("the customer's id in the CRM"),
      }),
      output: crmContact.nullable(),
    },
  },
} as const
