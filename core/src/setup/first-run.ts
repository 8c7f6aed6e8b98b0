import { randomBytes } from 'node:crypto'
import type { App } from '../app.js'
import { systemActor } from '../audit/index.js'
import { loadDemoData, type DemoSummary } from '../demo/demo-data.js'

export interface FirstRunResult {
  /** set only when the admin was created now: the one time its password is shown */
  admin?: { email: string; password: string }
  demo?: DemoSummary
}

/**
 * What a brand-new install needs: the first admin (with a random password, shown once) and,
 * unless turned off, the demo data. Running it again on an initialised install does nothing.
 */
export async function runFirstRunSetup(app: App, options: { adminEmail?: string; adminPassword?: string; demo: boolean }): Promise<FirstRunResult> {
  const result: FirstRunResult = {}
  const actor = systemActor('setup')
  if ((await app.db.user.count()) === 0) {
    const email = options.adminEmail ?? 'admin@switchboard.local'
    const password = options.adminPassword ?? randomBytes(12).toString('base64url')
    await app.services.users.create(actor, { email, password, role: 'admin', name: 'Administrator' })
    result.admin = { email, password }
  }
  const demoLoaded = await app.db.setting.findUnique({ where: { key: 'demo.loaded' } })
  if (options.demo && !demoLoaded) {
    result.demo = await loadDemoData(app, actor)
    await app.db.setting.create({ data: { key: 'demo.loaded', value: { at: new Date().toISOString() } } })
  }
  return result
}
