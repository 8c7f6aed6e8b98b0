#!/usr/bin/env -S node --no-node-snapshot
import { Command } from 'commander'
import { version } from '@switchboard/core'
import { registerConfig } from './commands/config.js'
import { registerDoctor } from './commands/doctor.js'
import { registerFlow } from './commands/flow.js'
import { registerInit } from './commands/init.js'
import { registerKb } from './commands/kb.js'
import { registerMigrate } from './commands/migrate.js'
import { registerNlu } from './commands/nlu.js'
import { registerPii } from './commands/pii.js'
import { registerPlugin } from './commands/plugin/plugin.js'
import { registerPluginLifecycle } from './commands/plugin/lifecycle.js'
import { registerStart } from './commands/start.js'
import { registerUser } from './commands/user.js'
import { reportError } from './support/output.js'

const program = new Command()
  .name('switchboard')
  .description(
    'Switchboard, the self-hosted contact center.\nEvery command reads the same settings: PORT, SWITCHBOARD_DATA_DIR, DATABASE_URL, REDIS_URL… (see docs/configuration.md).',
  )
  .version(version)
  .showHelpAfterError('(run with --help for usage)')

registerStart(program)
registerInit(program)
registerMigrate(program)
registerUser(program)
registerDoctor(program)
registerPii(program)
registerConfig(program)
registerNlu(program)
registerKb(program)
registerFlow(program)
registerPlugin(program)
registerPluginLifecycle(program)

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = reportError(error)
})
