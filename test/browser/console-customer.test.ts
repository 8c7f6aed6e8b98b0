import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { systemActor } from '../../core/src/audit/index.js'
import { builtPluginCopy } from '../support/built-plugin.js'
import { chromiumInstalled } from '../support/chromium.js'
import { consoleBuilt, startConsole, VIEWPORTS, type ConsoleHarness } from '../support/console-browser.js'

// a browser and a server on a loaded 2-core CI machine (two suites at once): give each step room
vi.setConfig({ testTimeout: 90_000 })

const actor = systemActor('test')
const root = join(import.meta.dirname, '../..')

/**
 * The agent's screen pop in real Chromium: Ms. Li writes about a leaking lipstick, and the
 * customer panel already shows her orders and parcel from the demo shop plugin and her history;
 * the agent inserts a suggested reply, edits and sends it; the "/" picker inserts a rendered
 * canned response; two contacts of one person are merged from the panel. Then the canned
 * responses admin page: create with a live preview, find, delete.
 */
describe.skipIf(!chromiumInstalled || !consoleBuilt)(
  'console: customer panel, suggested replies, canned responses',
  () => {
    let h: ConsoleHarness
    const builds: Array<{ remove(): void }> = []
    let agent: { id: string; email: string; token: string }
    let supervisor: { id: string; email: string; token: string }
    let msLi: string
    let wechatLi: string
    let conversationId: string

    beforeAll(async () => {
      h = await startConsole()
      const { app } = h.t
      await app.services.plugins.start()
      for (const name of ['channel-webchat', 'demo-shop']) {
        const copy = await builtPluginCopy(join(root, 'plugins', name))
        builds.push(copy)
        await app.services.plugins.install({ dir: copy.dir }, { actor })
      }
      agent = await h.user('agent', '李娜 Li Na')
      supervisor = await h.user('supervisor', '王经理 Wang')
      await app.services.kb.create(actor, {
        question: '收到的商品漏液或破损怎么办？',
        answer: '非常抱歉！请拍照发给我们，质量问题我们免费换货并承担运费。',
        variants: ['口红漏了', '商品漏液'],
      })
      const sup = { id: supervisor.id, role: 'supervisor' as const, name: '王经理 Wang', email: supervisor.email }
      await app.services.canned.create(sup, actor, {
        title: '商品破损/漏液换货',
        shortcut: 'leak',
        body: '{{contact.name}}您好，非常抱歉！漏液的商品我们为您免费换货，我是{{agent.name}}。',
        language: 'zh-CN',
        tags: ['漏液', '口红', '换货'],
      })
      const li = await app.services.contacts.create({
        name: '李女士',
        phone: '+86 138 0013 8000',
        email: 'li.customer@example.com',
        language: 'zh-CN',
        tags: ['vip'],
        attributes: { vipLevel: 'gold' },
        identities: [{ channel: 'web-visitor', address: 'visitor-li', verified: true }],
      })
      msLi = li.id
      wechatLi = (
        await app.services.contacts.create({
          name: 'Li (WeChat)',
          identities: [{ channel: 'wechat', address: 'o6_bmjrPTlm6', verified: true }],
        })
      ).id
      const earlier = await app.db.conversation.create({
        data: {
          contactId: wechatLi,
          channel: 'wechat',
          status: 'resolved',
          messageSeq: 1,
          createdAt: new Date(Date.now() - 5 * 86_400_000),
        },
      })
      await app.db.message.create({
        data: {
          conversationId: earlier.id,
          channel: 'wechat',
          direction: 'inbound',
          body: '口红什么时候发货？',
          seq: 1,
        },
      })
      const conversation = await app.db.conversation.create({
        data: {
          contactId: msLi,
          channel: 'webchat',
          channelPlugin: 'channel-webchat',
          identityId: li.identities[0]!.id,
          status: 'assigned',
          assigneeId: agent.id,
          assignedAt: new Date(),
          messageSeq: 1,
          lastMessageAt: new Date(),
        },
      })
      conversationId = conversation.id
      await app.db.message.create({
        data: {
          conversationId,
          channel: 'webchat',
          direction: 'inbound',
          body: '你好，上周买的口红漏了，订单号 12345',
          seq: 1,
        },
      })
      await app.db.ticket.create({
        data: {
          subject: '口红漏液 — 换货',
          priority: 'high',
          contactId: msLi,
          conversationId,
          statusToken: 'customer-panel-ticket',
        },
      })
    }, 180_000)

    afterAll(async () => {
      await h?.close()
      for (const b of builds) b.remove()
    })

    it('pops the customer with orders, parcel and history; a suggestion and a canned response go into the reply', async () => {
      const { page, open, screenshot, errors } = await h.signedIn(agent.email, 'zh-CN', VIEWPORTS.laptop)
      page.setDefaultTimeout(15_000)
      await open(`/inbox/${conversationId}`)
      const panel = page.locator('[data-test=customer-panel]')
      await expect(panel.locator('[data-test=customer-name]').innerText()).resolves.toContain('李女士')
      await panel.locator('[data-test=customer-vip]').waitFor()
      const orders = panel.locator('[data-test=panel-demo-shop-orders]')
      await orders.locator('[data-test=panel-row]').first().waitFor()
      await expect(orders.innerText()).resolves.toContain('2026111812345')
      await expect(orders.innerText()).resolves.toContain('丝绒哑光口红')
      const tracking = panel.locator('[data-test=panel-demo-shop-tracking]')
      await expect(tracking.innerText()).resolves.toContain('上海浦东集散中心')
      await expect(tracking.innerText()).resolves.toContain('运输中')
      await page.locator('[data-test=reply-suggestion][data-kind=canned]').first().waitFor()
      await screenshot('customer-panel-zh-laptop')

      // a suggested canned response, rendered for Ms. Li and this agent, edited, then sent
      const canned = page.locator('[data-test=reply-suggestion][data-kind=canned]').first()
      await expect(canned.innerText()).resolves.toContain('李女士您好')
      await expect(page.locator('[data-test=reply-suggestion][data-kind=kb]').first().innerText()).resolves.toContain(
        '免费换货',
      )
      await canned.locator('[data-test=reply-insert]').click()
      const box = page.locator('[data-test=composer-input]')
      await expect(box.inputValue()).resolves.toBe('李女士您好，非常抱歉！漏液的商品我们为您免费换货，我是李娜 Li Na。')
      await box.press('End')
      await box.pressSequentially(' 订单 2026111812345 已登记。')
      await page.locator('[data-test=composer-send]').click()
      const sentText = '李女士您好，非常抱歉！漏液的商品我们为您免费换货，我是李娜 Li Na。 订单 2026111812345 已登记。'
      await expect
        .poll(
          async () =>
            (await h.t.app.db.message.findMany({ where: { conversationId, direction: 'outbound' } })).map(
              (m) => m.body,
            ),
          {
            timeout: 10_000,
          },
        )
        .toContain(sentText)
      await page.locator('[data-test=message][data-role=agent]', { hasText: '订单 2026111812345 已登记' }).waitFor()
      await expect.poll(() => box.inputValue()).toBe('')

      // the "/" picker: ↓↑ and Enter insert the rendered response; Esc closes it
      await box.fill('/le')
      const picker = page.locator('[data-test=canned-picker]')
      await picker.locator('[data-test=canned-option][data-shortcut=leak]').waitFor()
      await screenshot('canned-picker-zh-laptop')
      await box.press('ArrowDown')
      await box.press('ArrowUp')
      await box.press('Enter')
      await expect(box.inputValue()).resolves.toBe('李女士您好，非常抱歉！漏液的商品我们为您免费换货，我是李娜 Li Na。')
      await box.fill('/zzz')
      await picker.locator('[data-test=canned-picker-none]').waitFor()
      await box.press('Escape')
      await picker.waitFor({ state: 'detached' })
      await expect(box.inputValue()).resolves.toBe('/zzz')
      await box.fill('')

      // history: this conversation and its ticket
      await page.locator('[data-test=customer-tab-history]').click()
      await expect(page.locator('[data-test=history-conversation]').count()).resolves.toBe(1)
      await expect(page.locator('[data-test=history-ticket]').innerText()).resolves.toContain('口红漏液')

      // merge the WeChat contact of the same person: its conversation joins her history
      await page.locator('[data-test=customer-tab-overview]').click()
      await page.locator('[data-test=customer-merge]').click()
      await page.locator('[data-test=merge-query]').fill('WeChat')
      await page
        .locator('[data-test=merge-result]', { hasText: 'Li (WeChat)' })
        .locator('[data-test=merge-pick]')
        .click()
      await page.locator('[data-test=merge-confirm]').waitFor()
      await screenshot('customer-merge-zh-laptop')
      await page.locator('[data-test=merge-confirm-button]').click()
      await page.locator('[data-test=merge-confirm]').waitFor({ state: 'detached' })
      const moved = await h.t.app.db.conversation.findMany({ where: { contactId: msLi } })
      expect(moved).toHaveLength(2)
      expect((await h.t.app.db.contact.findUniqueOrThrow({ where: { id: wechatLi } })).mergedIntoId).toBe(msLi)
      await page.locator('[data-test=customer-identity]', { hasText: 'o6_bmjrPTlm6' }).waitFor()
      await page.locator('[data-test=customer-tab-history]').click()
      await expect.poll(() => page.locator('[data-test=history-conversation]').count()).toBe(2)
      await page.locator('[data-test=history-conversation]').nth(1).click()
      await expect.poll(() => page.locator('[data-test=history-preview]').innerText()).toContain('口红什么时候发货？')
      await screenshot('customer-history-zh-laptop')
      await page.keyboard.press('Escape')
      expect(errors).toEqual([])
    }, 120_000)

    it('shows the panel in English on a large screen, and refreshes the plugin panels', async () => {
      const { page, open, screenshot, errors } = await h.signedIn(agent.email, 'en', VIEWPORTS.desktop)
      await open(`/inbox/${conversationId}`)
      const orders = page.locator('[data-test=panel-demo-shop-orders]')
      await orders.locator('[data-test=panel-row]').first().waitFor()
      await expect(page.locator('[data-test=customer-plugin-panels]').innerText()).resolves.toContain('Parcel tracking')
      await page.locator('[data-test=reply-suggestion]').first().waitFor()
      await screenshot('customer-panel-en-desktop')
      const before = await orders.locator('[data-test=panel-loaded-at] time').getAttribute('datetime')
      await page.waitForTimeout(1100)
      await page.locator('[data-test=customer-panels-refresh]').click()
      await expect
        .poll(() => orders.locator('[data-test=panel-loaded-at] time').getAttribute('datetime'))
        .not.toBe(before)
      expect(errors).toEqual([])
    }, 60_000)

    it('a supervisor manages canned responses: create with a live preview, find it, delete it', async () => {
      for (const [locale, viewport, name] of [
        ['en', VIEWPORTS.laptop, 'canned-page-en-laptop'],
        ['zh-CN', VIEWPORTS.desktop, 'canned-page-zh-desktop'],
      ] as const) {
        const { page, open, screenshot } = await h.signedIn(supervisor.email, locale, viewport)
        await open('/admin/canned')
        await page.locator('[data-test=canned-row]').first().waitFor()
        await screenshot(name)
        await page.close()
      }
      const { page, open, screenshot, errors } = await h.signedIn(supervisor.email, 'en', VIEWPORTS.laptop)
      await open('/admin/canned')
      await page.locator('[data-test=canned-new]').click()
      await page.locator('[data-test=canned-title]').fill('Late parcel')
      await page.locator('[data-test=canned-shortcut]').fill('late')
      await page.locator('[data-test=canned-body]').fill('Hi ')
      await page.locator('[data-test="canned-var-contact.name"]').click()
      await page.locator('[data-test=canned-body]').press('End')
      await page.locator('[data-test=canned-body]').pressSequentially(', sorry for the wait. {{order.eta}}')
      await page.locator('[data-test=canned-language]').selectOption('en')
      await page.locator('[data-test=canned-tags]').fill('order_status, late')
      await expect
        .poll(() => page.locator('[data-test=canned-preview]').innerText())
        .toContain('Hi Ms. Li, sorry for the wait.')
      await page.locator('[data-test=canned-preview-unknown]').waitFor()
      await screenshot('canned-editor-en-laptop')
      await page.locator('[data-test=canned-save]').click()
      await page.locator('[data-test=canned-row][data-shortcut=late]').waitFor()
      const stored = await h.t.app.db.cannedResponse.findFirstOrThrow({ where: { shortcut: 'late' } })
      expect(stored).toMatchObject({
        title: 'Late parcel',
        body: 'Hi {{contact.name}}, sorry for the wait. {{order.eta}}',
        language: 'en',
        ownerId: null,
      })
      expect(stored.tags).toEqual(['order_status', 'late'])

      // a taken shortcut is refused next to the field
      await page.locator('[data-test=canned-new]').click()
      await page.locator('[data-test=canned-title]').fill('Again')
      await page.locator('[data-test=canned-shortcut]').fill('/late')
      await page.locator('[data-test=canned-body]').fill('x')
      await page.locator('[data-test=canned-language]').selectOption('en')
      await page.locator('[data-test=canned-save]').click()
      await expect(page.locator('[data-test=canned-shortcut-error]').innerText()).resolves.toContain('Late parcel')
      await page.keyboard.press('Escape')

      await page.locator('[data-test=canned-search]').fill('late')
      await expect.poll(() => page.locator('[data-test=canned-row]').count()).toBe(1)
      await page.locator('[data-test=canned-row][data-shortcut=late] [data-test=canned-delete]').click()
      await page.locator('[data-test=canned-delete-confirm]').click()
      await page.locator('[data-test=canned-row][data-shortcut=late]').waitFor({ state: 'detached' })
      expect(await h.t.app.db.cannedResponse.count({ where: { shortcut: 'late' } })).toBe(0)
      expect(errors).toEqual([])
    }, 120_000)
  },
)
