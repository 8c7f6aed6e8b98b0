import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import type { AuthCredentials } from '../auth/index.js'
import { defineRoute } from '../http/define-route.js'
import {
  createRuleInput,
  hitDto,
  listResultsQuery,
  listRulesQuery,
  myScorecardQuery,
  reevaluateDto,
  reevaluateInput,
  resultDetailDto,
  resultDto,
  reviewInput,
  ruleDto,
  scorecardQuery,
  scorecardsDto,
  testRuleInput,
  updateRuleInput,
} from './qa-dto.js'
import type { QaService } from './qa-service.js'

const tags = ['quality']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const viewerOf = (credentials: AuthCredentials | null) => credentials!.user

export function qaRoutes(qa: QaService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/qa/rules',
      access: 'supervisor',
      tags,
      summary: 'QA rules: forbidden and required phrases, timing, sentiment and resolution checks',
      query: listRulesQuery,
      response: z.array(ruleDto),
      handler: async ({ query }) => qa.rules.list(query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/qa/rules',
      access: 'admin',
      tags,
      summary: 'Create a QA rule',
      description:
        'The `config` depends on the `kind`; see docs/qa-rules.md. Regular expressions are compiled and refused when too long or with nested repetition. A new rule inspects conversations resolved from now on; POST /api/v1/qa/reevaluate applies it to earlier ones.',
      payload: createRuleInput,
      response: ruleDto,
      status: 201,
      handler: async ({ payload, actor }) => qa.rules.create(actor, payload),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/qa/rules/test',
      access: 'admin',
      tags,
      summary: 'Try a rule without saving it, on a text or on a conversation',
      description:
        'With `text`, the rule is tried on that one message (its scope is not checked); with `conversationId`, on the stored conversation (scope included). Answers the hits, and for required phrases where they were found.',
      payload: testRuleInput,
      response: z.object({
        applies: z.boolean(),
        reason: z.string().nullable(),
        error: z.string().nullable().describe('the scope condition failed to evaluate'),
        hits: z.array(hitDto),
        found: z.array(
          z.object({ phrase: z.string(), messageId: z.string(), seq: z.number(), start: z.number(), end: z.number() }),
        ),
      }),
      handler: async ({ payload }) => qa.testRule(payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/qa/rules/{id}',
      access: 'supervisor',
      tags,
      summary: 'One QA rule',
      params: idParams,
      response: ruleDto,
      handler: async ({ params }) => qa.rules.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/qa/rules/{id}',
      access: 'admin',
      tags,
      summary: 'Change a QA rule (the fields given; a config replaces the old one)',
      description: 'Results already kept are not changed; POST /api/v1/qa/reevaluate inspects them again.',
      params: idParams,
      payload: updateRuleInput,
      response: ruleDto,
      handler: async ({ params, payload, actor }) => qa.rules.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/qa/rules/{id}',
      access: 'admin',
      tags,
      summary: 'Delete a QA rule (results keep its hits, by name)',
      params: idParams,
      handler: async ({ params, actor }) => qa.rules.remove(actor, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/qa/results',
      access: 'agent',
      tags,
      summary: 'Inspection results, newest resolution first; agents see their own',
      description:
        'An agent gets their own results only (`agentId` omitted or `me`; another agent is 403), with the latest review and its coaching note. A supervisor in teams sees the results of their teams, of no team and of their teammates.',
      query: listResultsQuery,
      response: z.array(resultDto),
      handler: async ({ query, credentials }) => qa.listResults(viewerOf(credentials), query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/qa/results/{id}',
      access: 'agent',
      tags,
      summary: 'One inspection result with the transcript, the hits and every review',
      params: idParams,
      response: resultDetailDto,
      handler: async ({ params, credentials }) => qa.resultDetail(viewerOf(credentials), params.id),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/qa/results/{id}/review',
      access: 'supervisor',
      tags,
      summary: 'Review a result: agree, or override hits and/or the score; with a note and coaching for the agent',
      description:
        'Overrides name a rule and optionally a message (`accepted: false` takes the hit back). The score is then 100 minus the weights of the accepted hits, or the `score` given. Every review is kept; they are applied again when the conversation is inspected again.',
      params: idParams,
      payload: reviewInput,
      response: resultDetailDto,
      handler: async ({ params, payload, credentials, actor }) =>
        qa.review(viewerOf(credentials), actor, params.id, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/qa/scorecards',
      access: 'supervisor',
      tags,
      summary: 'Scorecards per agent or team: QA score per category, hits per rule, CSAT, handle time, over time',
      description: 'Over the conversations resolved in [from, to), lowest average score first.',
      query: scorecardQuery,
      response: scorecardsDto,
      handler: async ({ query, credentials }) => qa.scorecards(viewerOf(credentials), query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/qa/scorecards/me',
      access: 'agent',
      tags,
      summary: 'Your own scorecard',
      query: myScorecardQuery,
      response: scorecardsDto,
      handler: async ({ query, credentials }) => {
        const viewer = viewerOf(credentials)
        return qa.scorecards(viewer, { ...query, groupBy: 'agent', agentId: viewer.id })
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/qa/reevaluate',
      access: 'admin',
      tags,
      summary: 'Inspect the conversations resolved in [from, to) again with the current rules',
      description: `At most 93 days and 2000 conversations per request (then \`truncated\` and \`continueFrom\`). Supervisors' reviews are applied again to the new hits.`,
      payload: reevaluateInput,
      response: reevaluateDto,
      status: 202,
      handler: async ({ payload, actor }) => qa.reevaluate(actor, payload),
    }),
  ]
}
