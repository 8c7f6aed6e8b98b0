import { builtinModules } from 'node:module'
import type { Plugin } from 'esbuild'

const builtins = new Set(builtinModules)
/** marks the second resolution of a bare built-in name, so it is not intercepted again */
const probing = Symbol('probing')

/**
 * An esbuild plugin that fails the bundle on a Node built-in (`node:fs`, `crypto`, …) with a
 * message saying why: handlers run in a sandbox where only ECMAScript and `ctx` exist. A bare
 * name that an installed npm package provides (the `events` or `buffer` polyfill) is bundled.
 */
export const refuseNodeBuiltins: Plugin = {
  name: 'switchboard-sandbox',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === probing) return undefined
      const prefixed = args.path.startsWith('node:')
      if (!prefixed && !builtins.has(args.path.split('/')[0]!)) return undefined
      if (!prefixed) {
        const { errors, path, namespace, sideEffects } = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: probing,
        })
        if (errors.length === 0) return { path, namespace, sideEffects }
      }
      return {
        errors: [
          {
            text: `"${args.path}" is a Node built-in module; plugin handlers run in a sandbox without Node (use ctx.fetch, ctx.kv, ctx.crypto, ctx.log instead)`,
          },
        ],
      }
    })
  },
}
