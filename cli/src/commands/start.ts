import type { Command } from 'commander'
import { bootstrap, printFirstRun } from '../support/bootstrap.js'

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'Run the Switchboard server (initialises a new data directory first: secrets, database, first admin, demo data)',
    )
    .option('--no-demo', 'do not load demo data into a new install')
    .action(async (options: { demo: boolean }) => {
      const { app, config, firstRun } = await bootstrap({ demo: options.demo ? undefined : false })
      // shown before listening: if the server then fails to start, the password is not lost
      printFirstRun(
        firstRun,
        config.server.publicUrl ??
          `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${config.server.port}`,
      )
      let stopping = false
      const shutdown = (signal: string) => {
        if (stopping) return
        stopping = true
        app.logger.info({ signal }, 'shutting down')
        app.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            app.logger.error({ err: error }, 'shutdown failed')
            process.exit(1)
          },
        )
      }
      process.on('SIGINT', () => shutdown('SIGINT'))
      process.on('SIGTERM', () => shutdown('SIGTERM'))
      try {
        await app.start()
      } catch (error) {
        await app.stop()
        throw error
      }
      const url = app.server.info.uri.replace('0.0.0.0', '127.0.0.1')
      process.stdout.write(
        `  Switchboard ${app.server.info.uri ? 'is running at ' + url : ''}  (database: ${app.target.provider}, shared state: ${app.infra.kind})\n`,
      )
    })
}
