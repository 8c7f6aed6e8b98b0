import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { surveySettingsDto, updateSurveySettingsInput } from './survey-settings.js'
import { listSurveysQuery, summaryDto, summaryQuery, surveyDto } from './surveys-dto.js'
import type { SurveysService } from './surveys-service.js'

const tags = ['surveys']

export function surveysRoutes(surveys: SurveysService): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/surveys/settings',
      access: 'admin',
      tags,
      summary: 'The survey settings: kind, delay, channels, low-score rule, expiry, texts',
      response: surveySettingsDto,
      handler: async () => surveys.settings(),
    }),
    defineRoute({
      method: 'PUT',
      path: '/api/v1/surveys/settings',
      access: 'admin',
      tags,
      summary: 'Change survey settings (the fields given; the others keep their value)',
      payload: updateSurveySettingsInput,
      response: surveySettingsDto,
      handler: async ({ payload, actor }) => surveys.updateSettings(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/surveys',
      access: 'supervisor',
      tags,
      summary: 'Surveys and their answers, newest due first, linked to conversation, ticket, agent and team',
      description: 'A supervisor in teams sees the surveys of their teams and those of no team.',
      query: listSurveysQuery,
      response: z.array(surveyDto),
      handler: async ({ query, credentials }) => surveys.list(credentials!.user, query),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/surveys/summary',
      access: 'supervisor',
      tags,
      summary: 'Response rate, CSAT average and % satisfied (4–5), NPS; overall, by agent and by team',
      description:
        'Counts the surveys due (`sendAt`) in [from, to). `sent` includes answered and expired ones; scheduled and cancelled ones do not count.',
      query: summaryQuery,
      response: summaryDto,
      handler: async ({ query, credentials }) => surveys.summary(credentials!.user, query),
    }),
  ]
}
