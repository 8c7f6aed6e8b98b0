import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { chromiumInstalled } from '../support/chromium.js'
import {
  consoleBuilt,
  startConsole,
  VIEWPORTS,
  type ConsoleHarness,
  type ConsolePage,
} from '../support/console-browser.js'

// a browser and a server on a loaded 2-core CI machine (two suites at once): give each step room
vi.setConfig({ testTimeout: 90_000 })

const root = join(import.meta.dirname, '../..')
const actor = systemActor('test')

/**
 * The admin pages in real Chromium against a real core: an admin creates an agent and a queue
 * (business hours, a required skill), puts the agent in it with the skill, and the server has
 * them; the agent signs in and sees the queue; a plugin is configured from its schema; the
 * knowledge base's "try it" finds the entry; bad input shows the API's error beside the field.
 */
describe.skipIf(!chromiumInstalled || !consoleBuilt)('console admin pages in Chromium', () => {
  let h: ConsoleHarness
  let admin: { id: string; email: string; token: string }
  let ui: ConsolePage
  let page: Page
  const builds: Array<{ remove(): void }> = []
  let agentEmail = ''
  let agentPassword = ''

  beforeAll(async () => {
    h = await startConsole()
    await h.t.app.services.plugins.start()
    for (const dir of [join(root, 'test/fixtures/plugins/test-echo'), join(root, 'plugins/channel-webchat')]) {
      const built = await builtPluginCopy(dir)
      builds.push(built)
      await h.t.app.services.plugins.install({ dir: built.dir }, { actor })
    }
    admin = await h.user('admin', 'Wang Fang')
    await h.user('supervisor', 'Zhao Lei')
    await h.t.app.services.teams.create(actor, { name: '售后组', description: 'After-sales' })
    await h.t.app.services.kb.create(actor, {
      id: 'refund-time',
      question: '退货后多久能收到退款？',
      answer: '仓库收到退货后 1–3 个工作日内原路退款。',
      variants: ['退款要多久', '什么时候退钱'],
      tags: ['退款'],
      language: 'zh-CN',
    })
    await h.t.app.services.kb.create(actor, {
      id: 'delivery-areas',
      question: 'Where do you deliver?',
      answer: 'We ship to mainland China, Hong Kong and Macau.',
      tags: ['shipping'],
      language: 'en',
    })
    await h.t.app.services.nlu.create(actor, {
      name: 'refund',
      description: '退款相关',
      examples: ['我要退款', '退款到账了吗', '退款要多久', 'refund please', 'where is my refund'],
    })
    await h.t.app.services.nlu.create(actor, {
      name: 'order_status',
      description: '查询订单',
      examples: ['我的快递到哪了', '订单什么时候发货', 'where is my order', 'track my parcel'],
    })
    ui = await h.signedIn(admin.email, 'zh-CN', VIEWPORTS.laptop)
    page = ui.page
  }, 240_000)

  afterAll(async () => {
    await h?.close()
    for (const b of builds) b.remove()
  })

  it('creates an agent: a bad email is shown beside the field, then the generated password once', async () => {
    await ui.open('/admin/users')
    await page.locator('[data-test=users-table]').waitFor()
    await page.click('[data-test=user-new]')
    await page.fill('[data-test=user-name]', 'Li Na')
    await page.fill('[data-test=user-email]', 'li.na@')
    await page.selectOption('[data-test=user-role]', 'agent')
    await page.selectOption('[data-test=user-locale]', 'zh-CN')
    await page.locator('.chip', { hasText: '售后组' }).click()
    await page.click('[data-test=user-save]')
    const emailError = page.locator('[data-test=error-email]')
    await emailError.waitFor()
    expect(await emailError.innerText()).toMatch(/email/i)
    await ui.screenshot('admin-users-field-error-zh-CN')

    agentEmail = `li.na.${Date.now().toString(36)}@shop.test`
    await page.fill('[data-test=user-email]', agentEmail)
    await page.click('[data-test=user-save]')
    const shown = page.locator('[data-test=generated-password]')
    await shown.waitFor()
    agentPassword = (await shown.innerText()).trim()
    expect(agentPassword).toHaveLength(16)
    await ui.screenshot('admin-users-password-zh-CN')
    await page.click('[data-test=password-done]')
    await page.locator(`tr[data-user="${agentEmail}"]`).waitFor()

    const stored = (await h.t.app.services.users.list({ limit: 100 })).find((u) => u.email === agentEmail)
    expect(stored).toMatchObject({ name: 'Li Na', role: 'agent', locale: 'zh-CN', active: true })
    expect(stored!.teams.map((t) => t.name)).toEqual(['售后组'])
  })

  it('creates a queue with business hours and a required skill; a wrong range is shown at its day', async () => {
    await ui.open('/admin/queues')
    await page.locator('[data-test=queue-new]').waitFor()
    await page.click('[data-test=queue-new]')
    await page.fill('[data-test=queue-name]', 'VIP 售后')
    await page.selectOption('[data-test=queue-team]', { label: '售后组' })
    await page.fill('[data-test=queue-priority]', '10')
    await page.click('[data-test=queue-skill-add]')
    await page.fill('[data-test=queue-skill-0]', '退款')
    await page.selectOption('[data-test=queue-skill-level-0]', '2')
    await page.check('[data-test=queue-overflow]')
    await page.click('[data-test=queue-tab-hours]')
    await page.check('[data-test=queue-has-hours]')
    await page.fill('[data-test=hours-timezone]', 'Asia/Shanghai')
    await page.selectOption('[data-test=hours-country]', 'CN')
    await page.locator('[data-test=hours-preview] strong').waitFor()
    // Monday 18:00–09:00 ends before it starts
    await page.fill('[data-test=from-mon-0]', '18:00')
    await page.fill('[data-test=to-mon-0]', '09:00')
    await page.click('[data-test=queue-save]')
    const dayError = page.locator('[data-test=error-weekly-mon]')
    await dayError.waitFor()
    expect(await dayError.innerText()).toMatch(/ends before it starts/)
    await ui.screenshot('admin-queue-hours-error-zh-CN')

    await page.fill('[data-test=from-mon-0]', '09:00')
    await page.fill('[data-test=to-mon-0]', '18:00')
    await page.fill('[data-test=closed-date]', '2026-12-24')
    await page.click('[data-test=closed-add]')
    await expect.poll(() => page.locator('[data-test=hours-preview] strong').count()).toBe(1)
    await ui.screenshot('admin-queue-hours-zh-CN')
    await page.click('[data-test=queue-save]')
    await page.locator('tr[data-queue="VIP 售后"]').waitFor()

    const queue = await h.t.app.db.queue.findUnique({ where: { name: 'VIP 售后' } })
    expect(queue).toMatchObject({ priority: 10, overflowAfterSeconds: 120 })
    expect(queue!.requiredSkills).toEqual([{ skill: '退款', minLevel: 2 }])
    expect(queue!.businessHours).toMatchObject({
      timezone: 'Asia/Shanghai',
      holidayCountry: 'CN',
      closedDates: ['2026-12-24'],
      weekly: { mon: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
    })
    const team = (await h.t.app.services.teams.list()).find((t) => t.name === '售后组')!
    expect(queue!.teamId).toBe(team.id)
  })

  it('puts the agent in the queue and gives them the skill and a capacity', async () => {
    const agent = (await h.t.app.services.users.list({ limit: 100 })).find((u) => u.email === agentEmail)!
    const row = page.locator('tr[data-queue="VIP 售后"]')
    await row.locator('[data-test=queue-members]').click()
    const member = page.locator(`tr[data-member="${agentEmail}"]`)
    await member.locator('[data-test=member-toggle]').check()
    await page.click('[data-test=members-save]')
    await page.locator('[data-test=members-table]').waitFor({ state: 'detached' })
    const members = await h.t.app.db.queueMember.findMany({ where: { userId: agent.id } })
    expect(members.map((m) => m.standby)).toEqual([false])

    await page.click('[data-test=tab-agents]')
    const agentRow = page.locator(`tr[data-agent="${agentEmail}"]`)
    await agentRow.waitFor()
    await agentRow.locator('[data-test=agent-edit]').click()
    await page.click('[data-test=agent-skill-add]')
    await page.fill('[data-test=agent-skill-0]', '退款')
    await page.click('[data-test=agent-skill-0-level-4]')
    await page.fill('[data-test=capacity-chat]', '99')
    await page.click('[data-test=agent-save]')
    // the capacity limit is the API's, shown under the field; the skills were saved already
    const capError = page.locator('[data-test=error-capacity-chat]')
    await capError.waitFor()
    await page.fill('[data-test=capacity-chat]', '4')
    await page.click('[data-test=agent-save]')
    await page.locator('[data-test=agent-form]').waitFor({ state: 'detached' })
    expect(await agentRow.innerText()).toContain('退款')
    await ui.screenshot('admin-agents-zh-CN')

    const skills = await h.t.app.db.agentSkill.findMany({ where: { userId: agent.id }, include: { skill: true } })
    expect(skills.map((s) => [s.skill.name, s.level])).toEqual([['退款', 4]])
    const routingAgent = (await h.t.app.services.routing.agents()).find((a) => a.userId === agent.id)!
    expect(routingAgent.capacity.chat).toBe(4)
  })

  it('the new agent signs in with the generated password and sees the queue, not the admin pages', async () => {
    const context = await h.browser.newContext({ viewport: VIEWPORTS.laptop, locale: 'zh-CN' })
    try {
      const p = await context.newPage()
      await p.goto(`${h.base}/console/login`)
      await p.fill('#email', agentEmail)
      await p.fill('#password', agentPassword)
      await Promise.all([p.waitForURL((u) => !u.pathname.endsWith('/login')), p.click('button[type=submit]')])
      expect(await p.locator('[data-nav="/admin/queues"]').count()).toBe(0)
      const queues = await p.evaluate(async () => (await fetch('/api/v1/queues')).json())
      expect(queues.map((q: { name: string }) => q.name)).toContain('VIP 售后')
      const vip = queues.find((q: { name: string }) => q.name === 'VIP 售后')
      expect(vip.members.map((m: { email: string }) => m.email)).toEqual([agentEmail])
      await p.goto(`${h.base}/console/admin/queues`)
      await p.waitForURL((u) => !u.pathname.includes('/admin/'))
    } finally {
      await context.close()
    }
  })

  it('configures a plugin from its schema: a missing field is shown beside it, secrets are never echoed', async () => {
    await ui.open('/admin/plugins')
    const row = page.locator('tr[data-plugin=test-echo]')
    await row.waitFor()
    expect(await row.locator('[data-test=plugin-state]').innerText()).toContain('待配置')
    await row.locator('[data-test=plugin-open]').click()
    await page.locator('[data-test=plugin-config]').waitFor()
    await page.click('[data-test=plugin-save]')
    const prefixError = page.locator('[data-test="error-config.prefix"]')
    await prefixError.waitFor()
    await ui.screenshot('admin-plugin-config-error-zh-CN')
    await page.fill('#cfg-prefix', '回声：')
    await page.fill('#sec-token', 's3cret-token')
    await page.click('[data-test=plugin-save]')
    await expect
      .poll(async () => (await h.t.app.services.plugins.get('test-echo')).config)
      .toEqual({ prefix: '回声：' })
    const stored = await h.t.app.services.plugins.get('test-echo')
    expect(stored.secretsSet).toEqual(['token'])
    expect(stored.enabled).toBe(true)
    // the secret field comes back empty, marked as set
    await expect.poll(() => page.locator('[data-field="secrets.token"] .badge').count()).toBe(1)
    expect(await page.inputValue('#sec-token')).toBe('')
    await ui.screenshot('admin-plugin-config-zh-CN')
    await page.keyboard.press('Escape')
    await expect.poll(() => row.locator('[data-test=plugin-state]').innerText()).toContain('已启用')
  })

  it('shows the web chat snippet of the channel plugin with the chosen attributes', async () => {
    await ui.open('/admin/channels')
    const card = page.locator('[data-channel=channel-webchat]')
    await card.locator('[data-test=snippet-code]').waitFor()
    await card.locator('[data-test=widget-lang]').selectOption('zh-CN')
    await card.locator('[data-test=widget-verified]').check()
    const code = await card.locator('[data-test=snippet-code]').innerText()
    expect(code).toContain(`src="${h.base}/widget.js"`)
    expect(code).toContain('data-channel="channel-webchat"')
    expect(code).toContain('data-lang="zh-CN"')
    expect(code).toContain('data-user-signature=')
    expect(await card.locator('[data-test=widget-preview]').getAttribute('href')).toBe(`${h.base}/demo/chat`)
  })

  it('"try it" classifies a message and finds the knowledge-base entry with its score', async () => {
    await ui.open('/admin/knowledge')
    await page.locator('[data-test=kb-table]').waitFor()
    await page.fill('[data-test=try-text]', '退款要多久才到')
    await page.click('[data-test=try-run]')
    const hit = page.locator('[data-test=try-hit]').first()
    await hit.waitFor()
    expect(await hit.getAttribute('data-entry')).toBe('refund-time')
    expect(await hit.innerText()).toMatch(/\d+%/)
    expect(await page.locator('[data-test=try-intent]').innerText()).toContain('refund')
    await ui.screenshot('admin-knowledge-try-zh-CN')
  })

  it('a KB entry with an empty answer shows the API error at the answer; a good one is stored', async () => {
    await page.click('[data-test=kb-new]')
    await page.fill('[data-test=kb-id]', 'invoice')
    await page.fill('[data-test=kb-question]', '可以开发票吗？')
    await page.click('[data-test=kb-save]')
    await page.locator('[data-test=error-answer]').waitFor()
    await page.fill('[data-test=kb-answer]', '可以，下单时填写抬头和税号即可。')
    await page.click('[data-test=kb-save]')
    await page.locator('tr[data-entry=invoice]').waitFor()
    expect(await h.t.app.services.kb.get('invoice')).toMatchObject({ answer: '可以，下单时填写抬头和税号即可。' })
  })

  it('every admin page in Chinese and English at 1280×800 and 1920×1080', async () => {
    const pages: Array<[string, string]> = [
      ['/admin/users', '[data-test=users-table]'],
      ['/admin/teams', '[data-team]'],
      ['/admin/queues', '[data-test=queues-table]'],
      ['/admin/channels', '[data-test=snippet-code]'],
      ['/admin/plugins', '[data-test=plugins-table]'],
      ['/admin/knowledge', '[data-test=kb-table]'],
    ]
    for (const locale of ['zh-CN', 'en'] as const)
      for (const [size, viewport] of Object.entries(VIEWPORTS)) {
        const s = await h.signedIn(admin.email, locale, viewport)
        for (const [path, ready] of pages) {
          await s.open(path)
          await s.page
            .locator(ready)
            .first()
            .waitFor()
            .catch(async (error: Error) => {
              await s.screenshot(`admin-failed-${locale}-${size}`)
              throw error
            })
          await s.page.waitForLoadState('networkidle')
          await s.screenshot(`admin-${path.split('/').pop()}-${locale}-${size}`)
        }
        // the queue editor's business hours, and a plugin's settings
        await s.open('/admin/queues')
        await s.page.locator('tr[data-queue="VIP 售后"] [data-test=queue-edit]').click()
        await s.page.click('[data-test=queue-tab-hours]')
        await s.page.locator('[data-test=hours-preview] strong').waitFor()
        await s.screenshot(`admin-queue-editor-${locale}-${size}`)
        await s.open('/admin/plugins?open=channel-webchat')
        await s.page.locator('[data-test=plugin-config]').waitFor()
        await s.screenshot(`admin-plugin-settings-${locale}-${size}`)
        expect(s.errors).toEqual([])
        await s.context.close()
      }
  }, 240_000)
})
