import { pluginError } from '@switchboard/plugin-sdk/runtime'
import { readContactResponse } from './contact-response.js'
import type { ActionInput, ActionOutput, CrmContext } from './context.js'
import { endpointError } from './endpoint-error.js'
import { postSigned } from './signed-request.js'

type Query = ActionInput<'lookupContact'>

/** The identifiers worth sending: trimmed, empty ones dropped. */
export function queryOf(input: Query): Query {
  const query: Query = {}
  for (const key of ['phone', 'email', 'externalId'] as const) {
    const value = input[key]?.trim()
    if (value) query[key] = value
  }
  return query
}

/**
 * `crm.lookupContact`: sends `{ type: 'contact.lookup', query }` and reads
 * `{ contact: {...} | null }`; a 404 also means "no such customer".
 */
export async function lookupContact(input: Query, ctx: CrmContext): Promise<ActionOutput<'lookupContact'>> {
  const query = queryOf(input)
  if (Object.keys(query).length === 0)
    throw pluginError('SB_ERR_CRM_QUERY_EMPTY', 'Give a phone number, an email or an externalId to look a contact up')
  const response = await postSigned(ctx, 'contact.lookup', { query })
  const body = await response.text()
  if (response.status === 404) return null
  if (!response.ok) throw endpointError(response.status, body)
  return readContactResponse(body, ctx.config.levelField)
}
