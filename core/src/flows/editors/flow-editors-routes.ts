import type { ServerRoute } from '@hapi/hapi'
import { defineRoute } from '../../http/define-route.js'
import { idParams } from '../flows-dto.js'
import type { FlowsService } from '../versions/flows-service.js'
import type { EditorPresence } from './editor-presence.js'

/** Who has a flow open in the builder now (the realtime path `/flows/{id}/editors` pushes changes). */
export function flowEditorsRoutes(flows: FlowsService, presence: EditorPresence): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/flows/{id}/editors',
      access: 'supervisor',
      tags: ['flows'],
      summary: 'Who has this flow open in the builder now (one entry per open editor)',
      params: idParams,
      handler: async ({ params }) => presence.list((await flows.get(params.id)).id),
    }),
  ]
}
