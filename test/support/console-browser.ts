import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from './chromium.js'
import { createTestApp, TEST_PASSWORD, type TestApp } from './test-app.js'

const root = join(import.meta.dirname, '../..')
/** Where browser tests put their screenshots (kept by CI as artifacts, not committed). */
export const screenshotDir = join(root, 'test-results', 'console')
export const consoleBuilt = existsSync(join(root, 'console', 'dist', 'index.html'))

export type ConsoleLocale = 'en' | 'zh-CN'
export const VIEWPORTS = { laptop: { width: 1280, height: 800 }, desktop: { width: 1920, height: 1080 } } as const

export interface ConsoleHarness {
  t: TestApp
  /** http://127.0.0.1:<port> */
  base: string
  browser: Browser
  /** a user of that role with the test password, and their bearer token for API calls */
  user(role: 'admin' | 'supervisor' | 'agent', name?: string): Promise<{ id: string; email: string; token: string }>
  /** a fresh browser context (own cookies) in that language, signed in as `email` */
  signedIn(email: string, locale?: ConsoleLocale, viewport?: { width: number; height: number }): Promise<ConsolePage>
  close(): Promise<void>
}

export interface ConsolePage {
  context: BrowserContext
  page: Page
  /** the console path, e.g. '/inbox' */
  open(path: string): Promise<void>
  /** saves test-results/console/<name>.png */
  screenshot(name: string): Promise<string>
  /** console errors seen on the page (failed requests the page handles are not errors) */
  errors: string[]
}

/**
 * A real Switchboard (listening on 127.0.0.1, fresh database) and Debian's Chromium, for console
 * browser tests. The console is served from console/dist, built by `npm run build`.
 */
export async function startConsole(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const t = await createTestApp({ PORT: '0', HOST: '127.0.0.1', ...env })
  await t.app.server.start()
  const base = t.app.server.info.uri
  const browser = await launchChromium()
  mkdirSync(screenshotDir, { recursive: true })
  const contexts: BrowserContext[] = []
  let counter = 0

  const harness: ConsoleHarness = {
    t,
    base,
    browser,
    async user(role, name) {
      const email = `${role}${++counter}-${Date.now().toString(36)}@test.local`
      const { systemActor } = await import('../../core/src/audit/index.js')
      const created = await t.app.services.users.create(systemActor('test'), {
        email,
        password: TEST_PASSWORD,
        role,
        ...(name ? { name } : {}),
      })
      return { id: created.id, email, token: await t.login(email, TEST_PASSWORD) }
    },
    async signedIn(email, locale = 'en', viewport = VIEWPORTS.laptop) {
      const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1 })
      contexts.push(context)
      // the console keeps the chosen language per browser; start each context in its locale
      await context.addInitScript((l) => localStorage.setItem('sb.locale', l), locale)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      // SWITCHBOARD_TEST_DEBUG=1 prints every API call the console makes that fails (4xx/5xx)
      if (process.env.SWITCHBOARD_TEST_DEBUG)
        page.on('response', async (r) => {
          if (r.status() >= 400)
            console.warn(`${r.status()} ${r.request().method()} ${r.url()} ${await r.text().catch(() => '')}`)
        })
      await page.goto(`${base}/console/login`)
      await page.fill('#email', email)
      await page.fill('#password', TEST_PASSWORD)
      await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.click('button[type=submit]')])
      return {
        context,
        page,
        errors,
        async open(path) {
          await page.goto(`${base}/console${path}`)
        },
        async screenshot(name) {
          const file = join(screenshotDir, `${name}.png`)
          await page.screenshot({ path: file })
          return file
        },
      }
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {})
      await browser.close().catch(() => {})
      await t.close()
    },
  }
  return harness
}
