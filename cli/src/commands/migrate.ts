import type { Command } from 'commander'
import { databaseTarget, loadConfig, migrateDatabase, redactUrl } from '@switchboard/core'
import { step } from '../support/output.js'

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(
      'Apply pending database migrations (the server also does this on start unless SWITCHBOARD_MIGRATE_ON_START=false)',
    )
    .action(async () => {
      const target = databaseTarget(loadConfig())
      const where = target.provider === 'sqlite' ? target.file : redactUrl(target.url)
      const result = await step(`Migrating ${target.provider} database ${where}`, (progress) =>
        migrateDatabase(target, { onApply: (name) => progress(`applying ${name}`) }),
      )
      process.stdout.write(
        result.applied.length
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
          : `Up to date (${result.alreadyApplied} migration(s) applied earlier).\n`,
      )
      if (result.modified.length)
        process.stdout.write(
          `Warning: these applied migrations were edited afterwards: ${result.modified.join(', ')}\n`,
        )
    })
}
