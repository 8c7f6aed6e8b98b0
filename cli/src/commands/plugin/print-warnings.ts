import { formatBuildWarning, type BuildWarning } from '../../plugin-build/index.js'

/** Build warnings on stderr, one per line, marked ⚠. */
export function printWarnings(warnings: BuildWarning[]): void {
  for (const warning of warnings) process.stderr.write(`⚠ ${formatBuildWarning(warning)}\n`)
}
