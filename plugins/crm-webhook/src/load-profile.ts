import type { ActionInput, ActionOutput, CrmContext } from './context.js'
import { lookupContact, queryOf } from './lookup-contact.js'

/**
 * Loads the `crmProfile` panel: the contact the console shows, looked up by phone, email, or an
 * `externalId` attribute an earlier lookup or import left on the contact. A contact with none of
 * them shows an empty panel without a request.
 */
export async function loadProfile(
  input: ActionInput<'loadProfile'>,
  ctx: CrmContext,
): Promise<ActionOutput<'loadProfile'>> {
  const { phone, email, attributes } = input.contact
  const externalId = typeof attributes.externalId === 'string' ? attributes.externalId : undefined
  const query = queryOf({ phone, email, externalId })
  if (Object.keys(query).length === 0) return null
  return lookupContact(query, ctx)
}
