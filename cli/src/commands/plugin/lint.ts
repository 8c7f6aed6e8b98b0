import { relative, resolve } from 'node:path'
import type { Command } from 'commander'
import type { LintFinding } from '../../plugin-lint/lint-finding.js'
import { lintPlugin } from '../../plugin-lint/lint-plugin.js'

function printFindings(findings: LintFinding[]): string {
  const ruleWidth = Math.max(...findings.map((f) => f.rule.length))
  return findings
    .map(
      (f) =>
        `  ${f.severity === 'error' ? 'error  ' : 'warning'}  ${f.rule.padEnd(ruleWidth)}  ${f.where}: ${f.message}\n`,
    )
    .join('')
}

export function registerPluginLint(plugin: Command): void {
  plugin
    .command('lint')
    .description(
      'Check a plugin is ready to publish: title and description in English and Chinese (not placeholders), icon, its own README, a description on every config, secret, input and node field, permissions that match the code. Each finding has a rule id. Exit code 1 on errors, 0 with warnings only. Writes nothing.',
    )
    .argument('[dir]', 'the plugin folder', '.')
    .option('--json', 'print { ok, findings } as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const { name, version, findings } = await lintPlugin(dir)
      const errors = findings.filter((f) => f.severity === 'error').length
      const warnings = findings.length - errors
      if (errors > 0) process.exitCode = 1
      if (options.json) {
        process.stdout.write(JSON.stringify({ ok: errors === 0, name, version, findings }, null, 2) + '\n')
        return
      }
      const label = `${relative(process.cwd(), resolve(dir)) || '.'}${name ? ` (${name} ${version})` : ''}`
      if (findings.length === 0) {
        process.stdout.write(`✔ ${label}: no problems\n`)
        return
      }
      process.stdout.write(
        `${errors > 0 ? '✖' : '✔'} ${label}: ${errors} error(s), ${warnings} warning(s)\n${printFindings(findings)}`,
      )
    })
}
