import {
  createApp,
  createSecretsFile,
  loadConfig,
  runFirstRunSetup,
  type App,
  type Config,
  type FirstRunResult,
} from '@switchboard/core'
import { step } from './output.js'

/**
 * What `start` and `init` share: the data directory and its secrets, the database brought up
 * to date, the first admin and the demo data on a new install.
 */
export async function bootstrap(
  options: { config?: Config; adminEmail?: string; adminPassword?: string; demo?: boolean; quiet?: boolean } = {},
) {
  const config = options.config ?? loadConfig()
  const needsSecretsFile = !(config.auth.cookieSecret && config.pii.keys && config.pii.hashKey)
  const createdSecrets = needsSecretsFile ? createSecretsFile(config) : false
  const app: App = options.quiet
    ? await createApp(config)
    : await step('Opening the database and applying migrations', () => createApp(config))
  let firstRun: FirstRunResult
  try {
    firstRun = await runFirstRunSetup(app, {
      adminEmail: options.adminEmail,
      adminPassword: options.adminPassword,
      demo: options.demo ?? config.setup.demo,
    })
  } catch (error) {
    await app.stop()
    throw error
  }
  return { app, config, createdSecrets, firstRun }
}

export function printFirstRun(firstRun: FirstRunResult, url: string): void {
  const out: string[] = []
  if (firstRun.admin) {
    out.push(
      '',
      '  An admin was created. Its password is shown only this once; keep it:',
      `    email:    ${firstRun.admin.email}`,
      `    password: ${firstRun.admin.password}`,
    )
  }
  if (firstRun.demo) {
    out.push('', `  Demo data loaded. The demo users share the password ${firstRun.demo.password}`)
    for (const u of firstRun.demo.users) out.push(`    ${u.email}  (${u.role})`)
  }
  if (out.length > 0) {
    out.push('', `  Sign in: POST ${url}/api/v1/auth/login   API reference: ${url}/api/docs`, '')
    process.stdout.write(out.join('\n') + '\n')
  }
}
