import type { Command } from 'commander'
import { bootstrap, printFirstRun } from '../support/bootstrap.js'

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'Prepare a data directory: secrets.json, database and migrations, the first admin, demo data. Safe to run again.',
    )
    .option('--admin-email <email>', 'email of the first admin', 'admin@switchboard.local')
    .option('--admin-password <password>', 'password of the first admin (default: a random one, printed once)')
    .option('--no-demo', 'do not load demo data')
    .action(async (options: { adminEmail: string; adminPassword?: string; demo: boolean }) => {
      const { app, config, createdSecrets, firstRun } = await bootstrap({
        adminEmail: options.adminEmail,
        adminPassword: options.adminPassword,
        demo: options.demo ? undefined : false,
      })
      await app.stop()
      process.stdout.write(`Data directory: ${config.data.dir}\n`)
      process.stdout.write(
        createdSecrets
          ? 'Created secrets.json (keep it safe and back it up: without it, personal data cannot be decrypted).\n'
          : 'Secrets: already present.\n',
      )
      if (!firstRun.admin && !firstRun.demo) process.stdout.write('Already initialised; nothing to do.\n')
      printFirstRun(firstRun, config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`)
    })
}
