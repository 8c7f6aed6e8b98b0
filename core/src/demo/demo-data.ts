import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseKbEntriesFile } from '../kb/index.js'
import { readPluginFolder } from '../plugins/index.js'
import { parseIntentExamplesFile } from '../nlu/index.js'
import { loadDefaultQaRules } from '../qa/index.js'
import type { App } from '../app.js'
import type { Actor } from '../audit/index.js'

export interface DemoSummary {
  /** the demo agents and supervisor share this password, printed once with the admin's */
  password: string
  users: Array<{ email: string; role: string }>
}

/**
 * A small online shop's contact center, so a new install has something to look at: two teams,
 * a supervisor and three agents with skills, three queues, customers (one VIP with an open
 * order question), a conversation, a ticket and a draft IVR flow.
 */
export async function loadDemoData(app: App, actor: Actor): Promise<DemoSummary> {
  const { db, services } = app
  const password = randomBytes(9).toString('base64url')

  const presales = await services.teams.create(actor, {
    name: 'Pre-sales 售前',
    description: 'Product questions before the order',
  })
  const aftersales = await services.teams.create(actor, {
    name: 'After-sales 售后',
    description: 'Delivery, returns, refunds, repairs',
  })

  const people = [
    {
      email: 'supervisor@demo.switchboard.local',
      name: '王经理 Wang',
      role: 'supervisor' as const,
      locale: 'zh-CN' as const,
      teamIds: [presales.id, aftersales.id],
    },
    {
      email: 'lina@demo.switchboard.local',
      name: '李娜 Li Na',
      role: 'agent' as const,
      locale: 'zh-CN' as const,
      teamIds: [aftersales.id],
    },
    {
      email: 'zhangwei@demo.switchboard.local',
      name: '张伟 Zhang Wei',
      role: 'agent' as const,
      locale: 'zh-CN' as const,
      teamIds: [presales.id],
    },
    {
      email: 'emma@demo.switchboard.local',
      name: 'Emma Clark',
      role: 'agent' as const,
      locale: 'en' as const,
      teamIds: [presales.id, aftersales.id],
    },
  ]
  const users = []
  for (const p of people) users.push(await services.users.create(actor, { ...p, password }))
  const [, lina, zhangwei, emma] = users

  const skills = await Promise.all(
    ['returns', 'billing', 'product', 'english', 'vip'].map((name) => db.skill.create({ data: { name } })),
  )
  const skill = (name: string) => skills.find((s) => s.name === name)!.id
  await db.agentSkill.createMany({
    data: [
      { userId: lina!.id, skillId: skill('returns'), level: 5 },
      { userId: lina!.id, skillId: skill('vip'), level: 4 },
      { userId: zhangwei!.id, skillId: skill('product'), level: 4 },
      { userId: emma!.id, skillId: skill('english'), level: 5 },
      { userId: emma!.id, skillId: skill('billing'), level: 3 },
    ],
  })

  const weekdays = {
    timezone: 'Asia/Shanghai',
    weekly: {
      mon: [['09:00', '21:00']],
      tue: [['09:00', '21:00']],
      wed: [['09:00', '21:00']],
      thu: [['09:00', '21:00']],
      fri: [['09:00', '21:00']],
      sat: [['10:00', '18:00']],
    },
  }
  const queues = {
    presales: await db.queue.create({
      data: { name: 'Pre-sales', description: '售前咨询', requiredSkills: ['product'], businessHours: weekdays },
    }),
    aftersales: await db.queue.create({
      data: { name: 'After-sales', description: '售后服务', requiredSkills: ['returns'], businessHours: weekdays },
    }),
    vip: await db.queue.create({
      data: { name: 'VIP', description: 'VIP customers first', priority: 10, requiredSkills: ['vip'] },
    }),
  }
  await db.queueMember.createMany({
    data: [
      { queueId: queues.presales.id, userId: zhangwei!.id },
      { queueId: queues.presales.id, userId: emma!.id },
      { queueId: queues.aftersales.id, userId: lina!.id },
      { queueId: queues.aftersales.id, userId: emma!.id },
      { queueId: queues.vip.id, userId: lina!.id },
    ],
  })

  const msLi = await services.contacts.create({
    name: '李女士 Ms. Li',
    phone: '+86 138 0013 8000',
    email: 'li.customer@example.com',
    address: '上海市浦东新区世纪大道 100 号',
    language: 'zh-CN',
    tags: ['vip'],
    attributes: { vipLevel: 'gold', lastOrder: '12345' },
    identities: [
      { channel: 'phone', address: '+86 138 0013 8000', verified: true },
      { channel: 'wechat', address: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M', verified: true },
    ],
  })
  await services.contacts.create({
    name: 'Tom Baker',
    email: 'tom.baker@example.com',
    phone: '+1 415 555 0123',
    language: 'en',
    identities: [{ channel: 'email', address: 'tom.baker@example.com', verified: true }],
  })
  const mrChen = await services.contacts.create({
    name: '陈先生 Mr. Chen',
    phone: '139 1234 5678',
    language: 'zh-CN',
    identities: [{ channel: 'phone', address: '139 1234 5678' }],
  })

  const conversation = await db.conversation.create({
    data: {
      contactId: msLi.id,
      channel: 'webchat',
      status: 'assigned',
      priority: 10,
      intent: 'after-sales.defect',
      queueId: queues.vip.id,
      assigneeId: lina!.id,
      tags: ['vip', 'lipstick'],
    },
  })
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)
  await db.message.createMany({
    data: [
      {
        conversationId: conversation.id,
        channel: 'webchat',
        channelMessageId: 'demo-1',
        direction: 'inbound',
        body: '你好，上周买的口红漏了，订单号 12345',
        createdAt: minutesAgo(6),
      },
      {
        conversationId: conversation.id,
        channel: 'webchat',
        channelMessageId: 'demo-2',
        direction: 'outbound',
        body: '您好李女士，我是智能助手。已为您转接售后专员。',
        createdAt: minutesAgo(6),
      },
      {
        conversationId: conversation.id,
        channel: 'webchat',
        direction: 'outbound',
        kind: 'system',
        body: 'Assigned to 李娜 Li Na (VIP queue)',
        createdAt: minutesAgo(5),
      },
      {
        conversationId: conversation.id,
        channel: 'webchat',
        channelMessageId: 'demo-3',
        direction: 'outbound',
        authorUserId: lina!.id,
        body: '李女士您好，非常抱歉！我马上为您办理换货。',
        createdAt: minutesAgo(4),
      },
    ],
  })
  await loadDemoTickets(app, {
    conversationId: conversation.id,
    msLi: msLi.id,
    mrChen: mrChen.id,
    presales: presales.id,
    aftersales: aftersales.id,
    lina: { userId: lina!.id, email: lina!.email },
    zhangwei: { userId: zhangwei!.id, email: zhangwei!.email },
    emma: { userId: emma!.id, email: emma!.email },
  })

  await db.flow.create({
    data: {
      name: 'Main IVR 主菜单',
      kind: 'ivr',
      description: 'Welcome, business hours, then a menu: 1 pre-sales, 2 after-sales, 0 an agent',
      draft: {
        schemaVersion: 1,
        nodes: [
          { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
          {
            id: 'hours',
            type: 'business-hours',
            config: { ...weekdays, holidayCountry: 'CN' },
            position: { x: 0, y: 120 },
          },
          {
            id: 'menu',
            type: 'menu',
            config: {
              prompt: {
                en: 'For pre-sales press 1, for after-sales press 2, for an agent press 0.',
                'zh-CN': '售前咨询请按 1，售后服务请按 2，人工服务请按 0。',
              },
              choices: [
                { key: '1', label: { en: 'Pre-sales', 'zh-CN': '售前' } },
                {
                  key: '2',
                  label: { en: 'After-sales', 'zh-CN': '售后' },
                  synonyms: ['退货', '退款', 'refund', 'return'],
                },
                { key: '0', label: { en: 'An agent', 'zh-CN': '人工' }, synonyms: ['转人工', 'agent'] },
              ],
              timeout: '10s',
            },
            position: { x: 0, y: 240 },
          },
          { id: 'to-presales', type: 'handoff', config: { queue: 'Pre-sales' }, position: { x: -250, y: 400 } },
          { id: 'to-aftersales', type: 'handoff', config: { queue: 'After-sales' }, position: { x: 0, y: 400 } },
          { id: 'to-vip', type: 'handoff', config: { queue: 'VIP', priority: 10 }, position: { x: 250, y: 400 } },
          {
            id: 'after-hours',
            type: 'schedule-callback',
            config: { after: '12h', note: '下班时间来电，请回电' },
            position: { x: 300, y: 120 },
          },
          {
            id: 'promise',
            type: 'send-message',
            config: {
              text: {
                en: 'We are closed now; we will call you back.',
                'zh-CN': '现在是下班时间，我们会尽快给您回电。',
              },
            },
            position: { x: 300, y: 240 },
          },
        ],
        edges: [
          { from: 'start', port: 'next', to: 'hours' },
          { from: 'hours', port: 'open', to: 'menu' },
          { from: 'hours', port: 'closed', to: 'after-hours' },
          { from: 'after-hours', port: 'next', to: 'promise' },
          { from: 'menu', port: '1', to: 'to-presales' },
          { from: 'menu', port: '2', to: 'to-aftersales' },
          { from: 'menu', port: '0', to: 'to-vip' },
        ],
        variables: {},
      },
    },
  })

  await loadExampleBrain(app, actor)
  await loadCannedResponses(app, actor)
  await loadDefaultQaRules(app.services.qa, actor)
  await loadBundledPlugins(app, actor)
  await loadExampleFlows(app, actor)
  return { password, users: people.map((p) => ({ email: p.email, role: p.role })) }
}

/**
 * Tickets through the tickets module, each with its history: the leaking lipstick from the demo
 * conversation, a refund escalated from L1 to L2 (billing), a pre-sales question waiting on the
 * customer, and a resolved invoice request.
 */
async function loadDemoTickets(
  app: App,
  ids: {
    conversationId: string
    msLi: string
    mrChen: string
    presales: string
    aftersales: string
    lina: Actor
    zhangwei: Actor
    emma: Actor
  },
) {
  const { tickets } = app.services
  await tickets.create(ids.lina, {
    subject: '口红漏液 — 换货 (order 12345)',
    description: '客户反映上周收到的口红漏液，要求换货。',
    priority: 'high',
    category: 'after-sales.defect',
    conversationId: ids.conversationId,
    assigneeId: ids.lina.userId,
    teamId: ids.aftersales,
  })

  const refund = await tickets.create(ids.lina, {
    subject: '退款未到账（订单 2026110588）',
    description: '陈先生 11 月 5 日申请退货退款，仓库已签收退货，客户称 7 个工作日后仍未收到退款。',
    priority: 'normal',
    category: 'billing.refund',
    contactId: ids.mrChen,
    assigneeId: ids.lina.userId,
    teamId: ids.aftersales,
    source: 'email',
  })
  await tickets.addNote(ids.lina, refund.id, {
    body: '已核对：退货 11 月 8 日入库，系统显示退款已发起，但支付渠道无到账记录。',
  })
  await tickets.escalate(ids.lina, refund.id, {
    tier: 'L2',
    assigneeId: ids.emma.userId,
    priority: 'high',
    reason: '退款超过 7 个工作日未到账，需要二线（财务）核对支付渠道流水。',
  })
  await tickets.addNote(ids.emma, refund.id, {
    body: '已联系支付渠道，退款卡在银行清算，预计 2 个工作日内到账，已电话告知客户。',
  })

  const engraving = await tickets.create(ids.zhangwei, {
    subject: '咨询口红礼盒能否刻字',
    description: '客户想为女朋友生日定制刻字礼盒，询问字数限制和发货时间。',
    priority: 'low',
    category: 'pre-sales.product',
    contactId: ids.msLi,
    assigneeId: ids.zhangwei.userId,
    teamId: ids.presales,
  })
  await tickets.update(ids.zhangwei, engraving.id, { status: 'pending' })

  const invoice = await tickets.create(ids.emma, {
    subject: '发票抬头开错，需要重开',
    priority: 'normal',
    category: 'billing.invoice',
    contactId: ids.mrChen,
    assigneeId: ids.emma.userId,
    teamId: ids.aftersales,
  })
  await tickets.addNote(ids.emma, invoice.id, { body: '已作废原发票并按新抬头重开，电子发票已发送到客户邮箱。' })
  await tickets.update(ids.emma, invoice.id, { status: 'resolved' })
}

/** A few shared canned responses in both languages ("/refund", "/leak"…), with variables. */
async function loadCannedResponses(app: App, actor: Actor) {
  const system = { id: actor.userId ?? 'system', role: 'admin' as const, name: 'Switchboard', email: '' }
  const responses = [
    {
      title: '退款说明',
      shortcut: 'refund',
      language: 'zh-CN' as const,
      tags: ['refund', '退款', '退货'],
      body: '{{contact.name}}您好，退款会在审核通过后 1–3 个工作日内原路退回。我是{{agent.name}}，有任何问题随时找我。',
    },
    {
      title: 'Refund timing',
      shortcut: 'refund',
      language: 'en' as const,
      tags: ['refund', 'return'],
      body: 'Hi {{contact.name}}, refunds go back to your original payment method within 1–3 business days after approval. I am {{agent.name}}; let me know if there is anything else.',
    },
    {
      title: '商品破损/漏液换货',
      shortcut: 'leak',
      language: 'zh-CN' as const,
      tags: ['after-sales.defect', '漏液', '破损', '换货', '口红'],
      body: '非常抱歉给您带来不便！{{contact.name}}，商品漏液或破损我们为您免费换货，运费由我们承担。麻烦您拍一张商品照片发给我，我马上为您登记。',
    },
    {
      title: '物流进度',
      shortcut: 'shipping',
      language: 'zh-CN' as const,
      tags: ['order_status', '物流', '快递', '到哪了'],
      body: '{{contact.name}}您好，我帮您查了一下，您的包裹正在运输途中，预计 1–2 天内送达，请留意快递员的电话。',
    },
    {
      title: '问候',
      shortcut: 'hi',
      language: 'zh-CN' as const,
      tags: ['greeting', '你好'],
      body: '{{contact.name}}您好，我是客服{{agent.name}}，很高兴为您服务！',
    },
    {
      title: 'Greeting',
      shortcut: 'hi',
      language: 'en' as const,
      tags: ['greeting', 'hello'],
      body: 'Hello {{contact.name}}, this is {{agent.name}}. How can I help you today?',
    },
  ]
  for (const response of responses) await app.services.canned.create(system, actor, { ...response, shared: true })
}

/** The example intents and FAQ from examples/ (present in a source checkout), so the bot can be tried at once. */
async function loadExampleBrain(app: App, actor: Actor) {
  const examples = fileURLToPath(new URL('../../../examples/', import.meta.url))
  const intents = `${examples}nlu/intents.jsonl`
  const faq = `${examples}kb/faq.jsonl`
  if (existsSync(intents))
    await app.services.nlu.importExamples(actor, parseIntentExamplesFile(readFileSync(intents, 'utf8'), intents))
  if (existsSync(faq)) await app.services.kb.importEntries(actor, parseKbEntriesFile(readFileSync(faq, 'utf8'), faq))
}

/**
 * The first-party plugins built in this checkout (their dist folders): the demo shop runs at once
 * (sample orders for the order-status bot), and so does the web chat of /demo/chat; the others are installed, waiting for an admin to
 * configure and enable them.
 */
async function loadBundledPlugins(app: App, actor: Actor) {
  const plugins = fileURLToPath(new URL('../../../plugins/', import.meta.url))
  if (!existsSync(plugins) || !app.config.plugins.enabled) return
  for (const name of readdirSync(plugins).sort()) {
    if (!existsSync(`${plugins}${name}/dist/manifest.json`)) continue
    try {
      const status = await app.services.plugins.install({ package: readPluginFolder(`${plugins}${name}`) }, { actor })
      // the demo shop and its web chat (/demo/chat) run at once; the others wait for configuration
      if (status.enabled && name !== 'demo-shop' && name !== 'channel-webchat')
        await app.services.plugins.setEnabled(name, false, actor)
    } catch (error) {
      app.logger.warn({ plugin: name, err: error }, 'demo: a bundled plugin could not be installed')
    }
  }
}

/** The order-status bot, published: with the demo shop it answers "where is order 2026111812345?". */
async function loadExampleFlows(app: App, actor: Actor) {
  const file = fileURLToPath(new URL('../../../examples/flows/order-status.json', import.meta.url))
  if (!existsSync(file)) return
  const flow = await app.services.flows.importFile(actor, JSON.parse(readFileSync(file, 'utf8')), { publish: true })
  // the web chat on /demo/chat is answered by it
  await app.services.flowTriggers.create(actor, flow.id, { kind: 'channel-entry', config: { channel: 'webchat' } })
}
