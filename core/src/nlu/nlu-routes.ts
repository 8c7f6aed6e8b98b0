import type { ServerRoute } from '@hapi/hapi'
import { z } from 'zod'
import { defineRoute } from '../http/define-route.js'
import { classificationDto, classifyInput, createIntentInput, intentDto, updateIntentInput } from './nlu-dto.js'
import type { NluService } from './nlu-service.js'

const idParams = z.strictObject({ id: z.string().min(1).max(64) })
const tags = ['nlu']

export function nluRoutes(nlu: NluService): ServerRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/nlu/classify',
      access: 'agent',
      tags,
      summary: "Classify a customer's message into an intent",
      description:
        'Returns the best intent with its confidence and the ranking of the best five. `intent` is null when the confidence is below the threshold (0.2 unless given).',
      payload: classifyInput,
      response: classificationDto,
      handler: async ({ payload }) => nlu.classify(payload.text, { threshold: payload.threshold }),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/nlu/intents',
      access: 'agent',
      tags,
      summary: 'List intents with their example phrases',
      response: z.array(intentDto),
      handler: async () => nlu.list(),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/nlu/intents',
      access: 'admin',
      tags,
      summary: 'Create an intent with example phrases',
      payload: createIntentInput,
      response: intentDto,
      status: 201,
      handler: async ({ payload, actor }) => nlu.create(actor, payload),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/nlu/intents/{id}',
      access: 'agent',
      tags,
      summary: 'One intent with its example phrases',
      params: idParams,
      response: intentDto,
      handler: async ({ params }) => nlu.get(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/nlu/intents/{id}',
      access: 'admin',
      tags,
      summary: 'Rename an intent, describe it or replace its examples',
      params: idParams,
      payload: updateIntentInput,
      response: intentDto,
      handler: async ({ params, payload, actor }) => nlu.update(actor, params.id, payload),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/nlu/intents/{id}',
      access: 'admin',
      tags,
      summary: 'Delete an intent and its examples',
      params: idParams,
      handler: async ({ params, actor }) => nlu.remove(actor, params.id),
    }),
  ]
}
