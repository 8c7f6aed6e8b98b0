import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { track } from './track.js'

/** The Kuaidi100 plugin's handlers; they run in the sandbox and reach Kuaidi100 only through ctx.fetch. */
export default defineHandlers<typeof definition>({
  actions: {
    track: (input, ctx) => track(ctx, input),
  },
})
