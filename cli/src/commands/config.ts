import type { Command } from 'commander'
import { describeSettings, loadConfig, maskUrlPassword } from '@switchboard/core'
import { table } from '../support/output.js'

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('Show the effective configuration and where each value comes from (secrets hidden)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const config = loadConfig()
      const rows = describeSettings().map((s) => {
        const [section, key] = s.key.split('.') as [keyof typeof config, string]
        const value = (config[section] as Record<string, unknown>)[key]
        return {
          key: s.key,
          env: s.env,
          value:
            s.secret && value !== undefined
              ? '(set, hidden)'
              : value === undefined
                ? ''
                : s.url
                  ? maskUrlPassword(String(value))
                  : String(value),
          source: config.sources[s.key] ?? 'default',
        }
      })
      process.stdout.write(options.json ? JSON.stringify(rows, null, 2) + '\n' : table(rows))
    })
}
