import { ErrorCode, isSwitchboardError } from '@switchboard/core'
import type { ManifestProblem } from '@switchboard/plugin-sdk'
import { readPluginLayout } from '../plugin-build/index.js'
import { bundleHandlers } from '../plugin-build/bundle-handlers.js'
import { loadManifest } from '../plugin-build/load-manifest.js'
import { error, type LintFinding, type LintRule } from './lint-finding.js'
import { contributionTextRules, pluginTextRules } from './rules/manifest-text-rules.js'
import { schemaDescriptionRules } from './rules/schema-description-rules.js'
import { iconRules, readmeRules, testRules } from './rules/file-rules.js'
import { buildWarningRules, permissionRules } from './rules/permission-rules.js'
import { packageRules } from './rules/package-rules.js'

/** Every rule, in the order findings are listed. */
export const lintRules: LintRule[] = [
  pluginTextRules,
  contributionTextRules,
  schemaDescriptionRules,
  iconRules,
  readmeRules,
  permissionRules,
  packageRules,
  testRules,
  buildWarningRules,
]

/** A user error the build raised (an invalid manifest, a bundle that fails) as findings. */
function buildFailure(caught: unknown, rule: string): LintFinding[] {
  if (!isSwitchboardError(caught) || caught.kind !== 'user') throw caught
  if (caught.code === ErrorCode.PLUGIN_MANIFEST_INVALID)
    return (caught.details as ManifestProblem[]).map((p) => error('manifest/invalid', p.path, p.message))
  return [error(rule, '(build)', caught.message)]
}

/**
 * Lints a plugin folder: what an admin sees (title, descriptions in both languages, icon,
 * README), what forms show (a description on every config, secret, input and node field), and
 * that permissions match what the code does. Builds in memory; writes nothing.
 *
 * @example
 * ```ts
 * const findings = await lintPlugin('examples/plugins/store-locator')
 * const failed = findings.some((f) => f.severity === 'error')
 * ```
 */
export async function lintPlugin(dir: string): Promise<{ name?: string; version?: string; findings: LintFinding[] }> {
  const layout = readPluginLayout(dir)
  let loaded: Awaited<ReturnType<typeof loadManifest>>
  try {
    loaded = await loadManifest(layout)
  } catch (caught) {
    return { findings: buildFailure(caught, 'manifest/invalid') }
  }
  const { manifest } = loaded
  let bundle: Awaited<ReturnType<typeof bundleHandlers>>
  try {
    bundle = await bundleHandlers(layout)
  } catch (caught) {
    return { name: manifest.name, version: manifest.version, findings: buildFailure(caught, 'bundle/error') }
  }
  const subject = { layout, manifest, code: bundle.code, buildWarnings: bundle.warnings }
  return { name: manifest.name, version: manifest.version, findings: lintRules.flatMap((rule) => rule(subject)) }
}
