/** Something a build noticed that does not stop it, e.g. a global the sandbox lacks. */
export interface BuildWarning {
  /** a rule id, e.g. `sandbox/global` */
  code: string
  message: string
  /** `file:line:column` relative to the plugin folder */
  location?: string
}

/** `src/index.ts:4:9: fetch is …` */
export function formatBuildWarning(warning: BuildWarning): string {
  return `${warning.location ? `${warning.location}: ` : ''}${warning.message}`
}
