import { randomBytes } from 'node:crypto'
import type { App } from '../app.js'
import { systemActor } from '../audit/index.js'
import { loadDemoData, type DemoSummary } from '../demo/index.js'

export interface FirstRunResult {
  /** set only when the admin was created now: the one time its password is shown */
  admin?: { email: string; password: string }
  demo?: DemoSummary
}

/**
 * What a brand-new install needs: the first admin (with a random password, shown once) and,
 * unless turned off, the demo data. Running it again on an initialised install does nothing.
 */
export async function runFirstRunSetup(
  app: App,
  options: { adminEmail?: string; adminPassword?: string; demo: boolean },
): Promise<FirstRunResult> {
  // several instances starting together on a new database: one sets up, the others then find it done
  return app.infra.locks.withLock('setup.first-run', { ttlMs: 120_000, waitMs: 120_000 }, () => setUp(app, options))
}

async function setUp(
  app: App,
  options: { adminEmail?: string; adminPassword?: string; demo: boolean },
): Promise<FirstRunResult> {
  const result: FirstRunResult = {}
  const actor = systemActor('setup')
  if ((await app.db.user.count()) === 0) {
    const email = options.adminEmail ?? 'admin@switchboard.local'
    const password = options.adminPassword ?? randomBytes(12).toString('base64url')
    await app.services.users.create(actor, { email, password, role: 'admin', name: 'Administrator' })
    result.admin = { email, password }
  }
  // demo data only goes into a brand-new install (the run that created the first admin),
  // never into one that has been in use
  const demoLoaded = await app.db.setting.findUnique({ where: { key: 'demo.loaded' } })
  if (options.demo && result.admin && !demoLoaded) {
    result.demo = await loadDemoData(app, actor)
    await app.db.setting.create({ data: { key: 'demo.loaded', value: { at: new Date().toISOString() } } })
  }
  return result
}
