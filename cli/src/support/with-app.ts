import { createApp, loadConfig, type App } from '@switchboard/core'

/** Runs a command's work against the configured install (quiet logs), then shuts the app down. */
export async function withApp<T>(run: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig({ env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } }))
  try {
    return await run(app)
  } finally {
    await app.stop()
  }
}
