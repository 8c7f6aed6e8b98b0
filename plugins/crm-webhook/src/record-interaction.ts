import type { ActionOutput, CrmContext, Interaction } from './context.js'
import { endpointError } from './endpoint-error.js'
import { postSigned } from './signed-request.js'

/**
 * `recordInteraction`: sends `{ type: 'interaction.record', interaction }`. Any 2xx means it was
 * recorded; a 404 means the CRM does not know the contact, which is not an error.
 */
export async function recordInteraction(
  interaction: Interaction,
  ctx: CrmContext,
): Promise<ActionOutput<'recordInteraction'>> {
  const response = await postSigned(ctx, 'interaction.record', { interaction })
  const body = await response.text()
  if (response.status === 404) return { recorded: false }
  if (!response.ok) throw endpointError(response.status, body)
  return { recorded: true }
}
