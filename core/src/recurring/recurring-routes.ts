import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import {
  applyProposalDto,
  applyProposalInput,
  listRecurringQuery,
  recurringIssueDetailDto,
  recurringIssueDto,
  recurringIssueListItemDto,
} from './recurring-dto.js'
import { recurringSettingsDto, updateRecurringSettingsInput } from './recurring-settings.js'
import type { RecurringIssuesService } from './recurring-service.js'

const tags = ['recurring issues']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })

export function recurringIssuesRoutes(recurring: RecurringIssuesService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/recurring-issues/settings',
      access: 'admin',
      tags,
      summary: 'How recurring issues are found: threshold, window, what counts as the same problem',
      response: recurringSettingsDto,
      handler: async () => recurring.settings(),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/recurring-issues/settings',
      access: 'admin',
      tags,
      summary: 'Change recurring-issue settings (the fields given; the others keep their value)',
      payload: updateRecurringSettingsInput,
      response: recurringSettingsDto,
      handler: async ({ payload, actor }) => recurring.updateSettings(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/recurring-issues',
      access: 'supervisor',
      tags,
      summary: 'Recurring issues, newest first',
      query: listRecurringQuery,
      response: z.array(recurringIssueListItemDto),
      handler: async ({ query, credentials }) => recurring.list(credentials!.user, query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/recurring-issues/{id}',
      access: 'supervisor',
      tags,
      summary: 'One recurring issue with its conversations (first message, agent, last reply) and tickets',
      params: idParams,
      response: recurringIssueDetailDto,
      handler: async ({ params, credentials }) => recurring.get(credentials!.user, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/recurring-issues/{id}/acknowledge',
      access: 'supervisor',
      tags,
      summary: 'Someone is looking at it',
      params: idParams,
      response: recurringIssueDto,
      handler: async ({ params, actor, credentials }) => recurring.acknowledge(credentials!.user, actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/recurring-issues/{id}/resolve',
      access: 'supervisor',
      tags,
      summary: 'Done with it; the same problem again later raises a new alert',
      params: idParams,
      response: recurringIssueDto,
      handler: async ({ params, actor, credentials }) => recurring.resolve(credentials!.user, actor, params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/recurring-issues/{id}/apply-proposal',
      access: 'admin',
      tags,
      summary: 'Create the proposed knowledge-base entry, or update the closest one; the body may edit it',
      description:
        'Updating an entry replaces its answer and adds the question as a variant. An open issue becomes acknowledged.',
      params: idParams,
      payload: applyProposalInput,
      response: applyProposalDto,
      handler: async ({ params, payload, actor }) => recurring.applyProposal(actor, params.id, payload),
    }),
  ]
}
