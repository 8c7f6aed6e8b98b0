import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { draftDto, draftInput, suggestionsDto, suggestionsQuery } from './suggestions-dto.js'
import type { SuggestionsService } from './suggestions-service.js'

const tags = ['conversations']
const idParams = z.strictObject({ id: z.string().min(1).max(64) })

export function suggestionsRoutes(suggestions: SuggestionsService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/conversations/{id}/suggestions',
      access: 'agent',
      tags,
      summary: "Suggested replies to the customer's last message: knowledge-base answers and canned responses",
      description:
        "Canned responses are matched on their title and tags (a tag equal to the conversation's intent counts extra) and come rendered for the conversation. `ai.available` says whether `POST …/draft` can write one.",
      params: idParams,
      query: suggestionsQuery,
      response: suggestionsDto,
      handler: async ({ params, query, credentials }) => suggestions.suggest(credentials!.user, params.id, query),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/conversations/{id}/draft',
      access: 'agent',
      tags,
      summary: 'Draft the next reply with the configured LLM (nothing is sent)',
      description:
        "503 `SB_ERR_PLUGIN_UNAVAILABLE` when no LLM provider is configured; 502 with the provider's error when it fails.",
      params: idParams,
      payload: draftInput,
      response: draftDto,
      handler: async ({ params, payload }) => suggestions.draft(params.id, payload.guidance),
    }),
  ]
}
