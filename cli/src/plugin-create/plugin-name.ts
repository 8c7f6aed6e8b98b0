import { ErrorCode, userError } from '@switchboard/core'

const kebab = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/**
 * Checks a new plugin's name: lower-case kebab-case, 2 to 50 characters, starting with a letter
 * (it prefixes the plugin's actions and node types, and names its webhook routes).
 */
export function validatePluginName(name: string): void {
  if (name.length >= 2 && name.length <= 50 && kebab.test(name)) return
  throw userError(
    ErrorCode.VALIDATION,
    `"${name}" is not a valid plugin name: use 2 to 50 lower-case letters, digits and single hyphens, starting with a letter (e.g. erp-acme)`,
  )
}

/** `erp-acme` → `Erp Acme` */
export function titleFromName(name: string): string {
  return name
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ')
}
