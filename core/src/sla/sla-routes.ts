import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import {
  clockDto,
  clocksQuery,
  createPolicyInput,
  createRuleInput,
  policyDto,
  reportDto,
  reportQuery,
  ruleDto,
  updatePolicyInput,
  updateRuleInput,
} from './sla-dto.js'
import { reportCsv } from './sla-report.js'
import type { SlaService } from './sla-service.js'

const tags = ['sla']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })

/** SLA policies, live clocks, the attainment report and escalation rules. */
export function slaRoutes(sla: SlaService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/sla/policies',
      access: 'supervisor',
      tags,
      summary: 'SLA policies, in the order they are matched',
      response: z.array(policyDto),
      handler: async () => sla.policies.list(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/sla/policies',
      access: 'admin',
      tags,
      summary: 'Create an SLA policy',
      description:
        'Targets are business minutes in the policy’s `businessHours` (the queues’ document; null: around the clock). The first enabled policy by `position` whose conditions hold applies to a new ticket or conversation.',
      payload: createPolicyInput,
      response: policyDto,
      status: 201,
      handler: async ({ payload, actor }) => sla.policies.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/sla/policies/{id}',
      access: 'supervisor',
      tags,
      summary: 'One SLA policy',
      params: idParams,
      response: policyDto,
      handler: async ({ params }) => sla.policies.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/sla/policies/{id}',
      access: 'admin',
      tags,
      summary: 'Change an SLA policy (its running clocks take the new targets and hours)',
      params: idParams,
      payload: updatePolicyInput,
      response: policyDto,
      handler: async ({ params, payload, actor }) => sla.policies.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/sla/policies/{id}',
      access: 'admin',
      tags,
      summary: 'Delete an SLA policy (its running clocks stop; finished ones stay in the reports)',
      params: idParams,
      handler: async ({ params, actor }) => sla.policies.remove(actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/sla/clocks',
      access: 'agent',
      tags,
      summary: 'The SLA clocks of a ticket or a conversation, with the business time left',
      description: 'For the tickets and conversations you may see (403 otherwise).',
      query: clocksQuery,
      response: z.array(clockDto),
      handler: async ({ query, credentials }) =>
        sla.listClocks(
          query.ticketId !== undefined ? { ticketId: query.ticketId } : { conversationId: query.conversationId! },
          credentials,
        ),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/sla/report',
      access: 'supervisor',
      tags,
      summary: 'SLA attainment: met, breached, attainment %, median and p90 business minutes per group',
      description:
        'E.g. “% of simple issues closed within 15 minutes”: `metric=resolution&category=simple&withinMinutes=15` (or a policy for that category with a 15-minute resolution target, without withinMinutes). `format=csv` answers a CSV file.',
      query: reportQuery,
      response: reportDto,
      handler: async ({ query, h, credentials }) => {
        const report = await sla.report(query, credentials!.user)
        if (query.format !== 'csv') return report
        return h
          .response(reportCsv(report))
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="sla-${query.metric}-${query.groupBy}.csv"`)
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/escalation-rules',
      access: 'supervisor',
      tags,
      summary: 'Escalation rules, in the order they are tried',
      response: z.array(ruleDto),
      handler: async () => sla.escalationRules.list(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/escalation-rules',
      access: 'admin',
      tags,
      summary: 'Create an escalation rule',
      description:
        'Triggers: sla.warning, sla.breached (conditions.metrics), sentiment (conditions.sentiments, default negative), customer-request (conditions.keywords). The action moves the ticket to a tier, team and/or person, or changes its priority.',
      payload: createRuleInput,
      response: ruleDto,
      status: 201,
      handler: async ({ payload, actor }) => sla.escalationRules.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/escalation-rules/{id}',
      access: 'supervisor',
      tags,
      summary: 'One escalation rule',
      params: idParams,
      response: ruleDto,
      handler: async ({ params }) => sla.escalationRules.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/escalation-rules/{id}',
      access: 'admin',
      tags,
      summary: 'Change an escalation rule',
      params: idParams,
      payload: updateRuleInput,
      response: ruleDto,
      handler: async ({ params, payload, actor }) => sla.escalationRules.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/escalation-rules/{id}',
      access: 'admin',
      tags,
      summary: 'Delete an escalation rule',
      params: idParams,
      handler: async ({ params, actor }) => sla.escalationRules.remove(actor, params.id),
    }),
  ]
}
