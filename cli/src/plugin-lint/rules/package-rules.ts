import { error, warning, type LintFinding, type LintRule } from '../lint-finding.js'

/** package.json agrees with the manifest and ships what the host needs. */
export const packageRules: LintRule = ({ layout, manifest }) => {
  const pkg = layout.packageJson
  const findings: LintFinding[] = []
  if (pkg.type !== 'module')
    findings.push(
      error('package/type-module', 'package.json', 'set "type": "module": the definition and handlers are ES modules'),
    )
  if (pkg.version !== undefined && pkg.version !== manifest.version)
    findings.push(
      warning(
        'package/version-mismatch',
        'package.json',
        `version ${pkg.version} differs from the definition's ${manifest.version}`,
      ),
    )
  if (Array.isArray(pkg.files)) {
    const shipped = pkg.files.map((f) => f.replace(/^\.\//, '').replace(/\/$/, ''))
    const missing = ['dist', manifest.icon, manifest.readme].filter(
      (file) => !shipped.some((f) => file === f || file.startsWith(`${f}/`)),
    )
    if (missing.length > 0)
      findings.push(
        warning(
          'package/files',
          'package.json',
          `"files" leaves out ${missing.join(', ')}: a packed plugin needs them`,
        ),
      )
  }
  return findings
}
