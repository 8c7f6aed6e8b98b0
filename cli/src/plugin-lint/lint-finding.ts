import type { PluginManifest } from '@switchboard/plugin-sdk'
import type { BuildWarning, PluginLayout } from '../plugin-build/index.js'

/** One thing `plugin lint` found: errors fail it (exit code 1), warnings do not. */
export interface LintFinding {
  /** e.g. `manifest/description-placeholder` */
  rule: string
  severity: 'error' | 'warning'
  /** where: a manifest path (`actions.getOrder.input.id`), a file, or file:line:column */
  where: string
  message: string
}

/** What the rules look at: the plugin's files, its checked manifest and its bundled handlers. */
export interface LintSubject {
  layout: PluginLayout
  manifest: PluginManifest
  code: string
  buildWarnings: BuildWarning[]
}

/** A rule: a function of the plugin that returns its findings. */
export type LintRule = (subject: LintSubject) => LintFinding[]

/** A finding that fails the lint. */
export const error = (rule: string, where: string, message: string): LintFinding => ({
  rule,
  severity: 'error',
  where,
  message,
})
/** A finding worth fixing that does not fail the lint. */
export const warning = (rule: string, where: string, message: string): LintFinding => ({
  rule,
  severity: 'warning',
  where,
  message,
})
