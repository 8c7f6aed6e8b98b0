import { createContext, Script } from 'node:vm'
import type { PluginManifest } from '@switchboard/plugin-sdk'
import { BUNDLE_GLOBAL, BUNDLE_PATH } from '../plugin-build/bundle-paths.js'

/** What loading a bundle showed: problems fail `plugin test`, warnings do not. */
export interface BundleCheck {
  problems: string[]
  warnings: string[]
  /** how many declared handlers were found */
  handlers: number
}

type Group = 'actions' | 'nodes' | 'webhooks' | 'events'
type Handlers = Partial<Record<Group, Record<string, unknown>>> & { send?: unknown }

/** Every handler the host calls for this manifest, as [group, name]. */
function expectedHandlers(manifest: PluginManifest): Array<[Group, string]> {
  return [
    ...Object.keys(manifest.actions).map((name): [Group, string] => ['actions', name]),
    ...Object.keys(manifest.nodes).map((name): [Group, string] => ['nodes', name]),
    ...manifest.permissions.webhooks.map((w): [Group, string] => ['webhooks', w.name]),
    ...manifest.permissions.events.receive.map((topic): [Group, string] => ['events', topic]),
  ]
}

/** Evaluates the bundle in a fresh context with ECMAScript built-ins only, as the sandbox does. */
function loadHandlers(code: string): { handlers?: Handlers; problem?: string } {
  const context = createContext({}, { codeGeneration: { strings: false, wasm: false } })
  try {
    new Script(code, { filename: BUNDLE_PATH }).runInContext(context, { timeout: 2_000 })
  } catch (error) {
    return { problem: `${BUNDLE_PATH} throws when it loads: ${(error as Error)?.message ?? String(error)}` }
  }
  const exported = (context as Record<string, unknown>)[BUNDLE_GLOBAL] as { default?: unknown } | undefined
  const handlers = exported?.default
  if (typeof handlers !== 'object' || handlers === null)
    return {
      problem: `${BUNDLE_PATH} exports no handlers: the handlers file ends with \`export default defineHandlers<typeof definition>({ … })\``,
    }
  return { handlers: handlers as Handlers }
}

/**
 * Loads a built bundle the way the sandbox does (a fresh context with only ECMAScript
 * built-ins: no Node, no timers, no fetch) and checks that every action, node, webhook and event
 * the manifest declares has a handler, and a channel plugin has `send`. A structural check: it
 * runs the bundle's top level, not the handlers.
 *
 * @example
 * ```ts
 * const { problems } = checkBundleInSandbox(manifest, readFileSync('dist/plugin.js', 'utf8'))
 * ```
 */
export function checkBundleInSandbox(manifest: PluginManifest, code: string): BundleCheck {
  const { handlers, problem } = loadHandlers(code)
  if (!handlers) return { problems: [problem!], warnings: [], handlers: 0 }
  const problems: string[] = []
  const warnings: string[] = []
  let found = 0
  const expected = expectedHandlers(manifest)
  for (const [group, name] of expected) {
    const handler = handlers[group]?.[name]
    if (typeof handler === 'function') found++
    else problems.push(`${group}.${name} is declared in the definition but has no handler`)
  }
  if (manifest.kinds.includes('channel')) {
    if (typeof handlers.send === 'function') found++
    else problems.push('a channel plugin has a send handler, to deliver messages to customers')
  }
  for (const group of ['actions', 'nodes', 'webhooks', 'events'] as const)
    for (const name of Object.keys(handlers[group] ?? {}))
      if (!expected.some(([g, n]) => g === group && n === name))
        warnings.push(`${group}.${name} has a handler but no declaration in the definition: the host never calls it`)
  return { problems, warnings, handlers: found }
}
