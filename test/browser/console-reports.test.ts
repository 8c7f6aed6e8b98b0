import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generateMonthHistory, type MonthHistory } from '../fixtures/month-history.js'
import { chromiumInstalled } from '../support/chromium.js'
import {
  consoleBuilt,
  screenshotDir,
  startConsole,
  type ConsoleHarness,
  type ConsoleLocale,
  type ConsolePage,
} from '../support/console-browser.js'
import { bearer } from '../support/test-app.js'

// a browser and a server on a loaded 2-core CI machine (two suites at once): give each step room
vi.setConfig({ testTimeout: 90_000 })

const root = join(import.meta.dirname, '../..')
const docsImages = join(root, 'docs', 'images', 'console')
/** tall enough that a report's tiles, charts and tables are in one picture for the guide */
const TALL = { width: 1440, height: 1500 }
const WIDE = { width: 1440, height: 900 }

type User = { id: string; email: string; token: string }

/** a rate as the reports show it: 0.8734 → "87.3%", 0.5 → "50%" */
const pct = (v: number) => `${Number.isInteger(v * 100) ? v * 100 : (v * 100).toFixed(1)}%`

/** ECharts draws lines from left to right for a moment: let it finish before a screenshot */
const chartsDrawn = (session: ConsolePage) => session.page.waitForTimeout(1200)

/** Vue reports a component that failed to render (a bad translation, say) on the console, not as a page error. */
function watchConsole(session: ConsolePage) {
  session.page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('Failed to load resource')) session.errors.push(m.text())
  })
}

/**
 * Reports, forecast and quality inspection in real Chromium against a real core. A generated month
 * of history (test/fixtures/month-history.ts) ends now: the supervisor picks that month as a custom
 * range and the page's tiles equal what the analytics API answers for the same query; grouped by
 * channel the volume chart has three series; the CSV export downloads; the forecast shows 48 hours
 * and its back-test, and says clearly when a queue has no history. An admin writes a QA rule and
 * tries it; conversations through the real services hit it, the supervisor sees the phrases
 * highlighted in the transcript and overrides one with a coaching note, which the agent then reads
 * on "My quality". Screenshots in English and Chinese for the supervisor guide.
 */
describe.skipIf(!chromiumInstalled || !consoleBuilt)('console: reports, forecast and quality', () => {
  let h: ConsoleHarness
  let supervisor: User
  let admin: User
  let liNa: User
  let wangWei: User
  let history: MonthHistory
  let emptyQueueId: string
  let serviceQueueId: string
  /** the custom range the reports are opened on: the history's first and last day (browser time) */
  let days: { first: string; last: string }
  const db = () => h.t.app.db

  async function api<T>(token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
    const res = await h.t.app.server.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
    expect(res.statusCode, `${method} ${url}: ${res.payload}`).toBeLessThan(300)
    return JSON.parse(res.payload) as T
  }

  /** A web chat customer and an agent talk; the customer's first message opens the conversation. */
  let visitors = 0
  async function conversation(lines: Array<['customer' | 'agent', string]>, agent = liNa) {
    const { services } = h.t.app
    const visitor = `visitor-reports-${String(++visitors).padStart(10, '0')}`
    let conversationId = ''
    let n = 0
    for (const [who, text] of lines) {
      if (who === 'customer') {
        const received = await services.conversations.receive({
          channelPlugin: null,
          channel: 'webchat',
          identityKind: 'web-visitor',
          message: {
            channelMessageId: `${visitor}:${++n}`,
            from: { id: visitor, kind: 'web-visitor' },
            kind: 'text',
            text,
            receivedAt: new Date().toISOString(),
          },
        })
        if (!conversationId) {
          conversationId = received.conversationId
          await services.conversations.drain()
          await db().conversation.update({
            where: { id: conversationId },
            data: {
              status: 'assigned',
              assigneeId: agent.id,
              queueId: serviceQueueId,
              queuedAt: new Date(),
              assignedAt: new Date(),
            },
          })
        }
      } else await api(agent.token, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text })
    }
    await api(agent.token, 'PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' })
    return conversationId
  }

  /** Until the conversation's inspection is kept (it runs in a job after the resolution). */
  async function inspected(conversationId: string) {
    await expect
      .poll(async () => (await db().qaResult.findUnique({ where: { conversationId } }))?.evaluatedFor ?? null, {
        timeout: 20_000,
        interval: 100,
      })
      .not.toBeNull()
    return db().qaResult.findUniqueOrThrow({ where: { conversationId } })
  }

  async function open(email: string, locale: ConsoleLocale, viewport: { width: number; height: number }) {
    const session = await h.signedIn(email, locale, viewport)
    watchConsole(session)
    return session
  }

  beforeAll(async () => {
    h = await startConsole()
    supervisor = await h.user('supervisor', 'Zhou Min')
    admin = await h.user('admin', 'Admin Chen')
    liNa = await h.user('agent', 'Li Na')
    wangWei = await h.user('agent', 'Wang Wei')
    // a month of history ending this hour: the forecast learns from it, the reports show it
    const now = Date.now()
    const start = new Date(Math.floor(now / 3_600_000) * 3_600_000 - 30 * 86_400_000)
    history = await generateMonthHistory(db(), { seed: 11, start, days: 30 })
    // a question that took off this week: the top issues mark it rising
    const contactId = (await db().contact.create({ data: {} })).id
    const presale = (at: number) => ({
      contactId,
      channel: 'webchat',
      intent: '预售规则',
      status: 'resolved',
      createdAt: new Date(at),
      resolvedAt: new Date(at + 60_000),
    })
    await db().conversation.createMany({
      data: [
        ...Array.from({ length: 160 }, (_, i) => presale(now - (i + 2) * 15_000)),
        ...Array.from({ length: 30 }, (_, i) => presale(now - 7 * 86_400_000 - (i + 2) * 15_000)),
      ],
    })
    emptyQueueId = (await db().queue.create({ data: { name: 'VIP 专线' } })).id
    serviceQueueId = (await db().queue.create({ data: { name: 'Online service 在线客服' } })).id
    await api(admin.token, 'POST', '/api/v1/qa/rules', {
      name: '隐私告知 Privacy notice',
      kind: 'required-phrase',
      weight: 20,
      config: {
        within: { position: 'first', messages: 3 },
        phrases: [{ text: '为了保护您的隐私' }, { text: 'for your privacy' }],
      },
    })
    await h.t.app.services.qa.ready()
  }, 180_000)
  afterAll(() => h?.close())

  it('shows a custom range with the figures the API gives, grouped by channel, and exports the CSV', async () => {
    const s = await open(supervisor.email, 'en', TALL)
    const { page } = s
    await s.open('/reports')
    await page.locator('.metrics[data-ready=true]').waitFor()
    // the history's month, in the browser's days
    days = await page.evaluate(
      ({ from, to }) => {
        const day = (d: Date) =>
          `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
        return { first: day(new Date(from)), last: day(new Date(to)) }
      },
      { from: history.start.getTime(), to: Date.now() },
    )
    // the range is the first day's midnight to the midnight after the last day, in the browser's zone
    const midnights = await page.evaluate(
      ({ first, last }) => {
        const at = (day: string, plus: number) => {
          const [y, m, d] = day.split('-').map(Number) as [number, number, number]
          return new Date(y, m - 1, d + plus).toISOString()
        }
        return { from: at(first, 0), to: at(last, 1), zone: Intl.DateTimeFormat().resolvedOptions().timeZone }
      },
      { first: days.first, last: days.last },
    )
    const answered = page.waitForResponse((r) => {
      if (!r.url().includes('/api/v1/analytics/metrics')) return false
      const q = new URL(r.url()).searchParams
      return q.get('from') === midnights.from && q.get('to') === midnights.to
    })
    await page.click('[data-preset=custom]')
    await page.locator('[data-test=range-from]').fill(days.first)
    await page.locator('[data-test=range-from]').dispatchEvent('change')
    await page.locator('[data-test=range-to]').fill(days.last)
    await page.locator('[data-test=range-to]').dispatchEvent('change')
    const response = await answered
    expect(response.status()).toBe(200)
    const asked = new URL(response.url()).searchParams
    expect(asked.get('timeZone')).toBe(midnights.zone)
    expect(asked.get('interval')).toBe('day')
    await page.locator('.metrics[data-ready=true]').waitFor()
    await expect.poll(() => page.locator('[data-test=report-period]').innerText()).toContain(days.first)

    // the tiles are the API's figures for the same query
    const query = new URLSearchParams({
      from: midnights.from,
      to: midnights.to,
      timeZone: midnights.zone,
      interval: 'day',
    })
    const expected = await api<{
      total: {
        offered: number
        answerRate: number
        abandonRate: number
        wait: { p90Ms: number }
        handle: { p50Ms: number }
        firstResponse: { p90Ms: number }
        fcr: { rate: number }
        containmentRate: number
        sla: { attainment: number }
        csat: { average: number }
      }
    }>(supervisor.token, 'GET', `/api/v1/analytics/metrics?${query}`)
    const total = expected.total
    // …and the API's count is the conversations in the range, counted in the database
    const inRange = await db().conversation.count({
      where: { createdAt: { gte: new Date(midnights.from), lt: new Date(midnights.to) } },
    })
    expect(total.offered).toBe(inRange)
    expect(total.offered).toBeGreaterThan(history.conversations.length * 0.9)
    const raw = async (kpi: string) =>
      page
        .locator(`[data-kpi=${kpi}]`)
        .getAttribute('data-raw')
        .then((v) => (v === '' ? null : Number(v)))
    const shown = async (kpi: string) =>
      (await page.locator(`[data-kpi=${kpi}] [data-test=kpi-value]`).innerText()).trim()
    await expect.poll(() => raw('offered')).toBe(total.offered)
    expect(await raw('answerRate')).toBe(total.answerRate)
    expect(await raw('abandonRate')).toBe(total.abandonRate)
    expect(await raw('waitP90')).toBe(total.wait.p90Ms)
    expect(await raw('firstResponseP90')).toBe(total.firstResponse.p90Ms)
    expect(await raw('handleP50')).toBe(total.handle.p50Ms)
    expect(await raw('fcr')).toBe(total.fcr.rate)
    expect(await raw('containment')).toBe(total.containmentRate)
    expect(await raw('sla')).toBe(total.sla.attainment)
    expect(await raw('csat')).toBe(total.csat.average)
    expect(await shown('offered')).toBe(total.offered.toLocaleString('en'))
    expect(await shown('answerRate')).toBe(pct(total.answerRate))
    expect(await shown('csat')).toContain(total.csat.average.toFixed(2))
    // each tile says how it is counted
    await page.locator('[data-kpi=abandonRate] [data-test=kpi-info]').hover()
    await expect.poll(() => page.locator('[data-kpi=abandonRate] [data-test=kpi-formula]').isVisible()).toBe(true)
    expect(await page.locator('[data-kpi=abandonRate] [data-test=kpi-formula]').innerText()).toContain(
      'Abandoned ÷ queued',
    )
    await page.locator('[data-test=chart-rates] svg').waitFor()
    await page.mouse.move(0, 0)
    await page.locator('h1').click()
    // the rising question of the week
    const rising = page.locator('[data-test=top-issue][data-intent="预售规则"]')
    await rising.waitFor()
    expect(await rising.getAttribute('data-trend')).toBe('rising')
    expect(await rising.locator('[data-test=top-issue-trend]').innerText()).toBe('↑')
    await chartsDrawn(s)
    await s.screenshot('reports-en')

    // grouped by channel: three series, one table row each
    await page.locator('[data-test=group-by]').selectOption('channel')
    await expect.poll(() => page.locator('[data-test=chart-volume]').getAttribute('data-series')).toBe('3')
    await expect.poll(() => page.locator('[data-test=metrics-row]').count()).toBe(3)
    const rowGroups = await page
      .locator('[data-test=metrics-row]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-group')))
    expect(rowGroups.sort()).toEqual(['voice', 'webchat', 'wechat'])
    expect(page.url()).toContain('groupBy=channel')

    // the CSV of the same query, one line per day and channel
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')])
    expect(download.suggestedFilename()).toBe('metrics-day.csv')
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n')
    expect(csv[0]).toBe(
      'interval_start,channel,offered,queued,answered,abandoned,answer_rate,abandon_rate,resolved,bot_contained,containment_rate,fcr_rate,wait_p50_s,wait_p90_s,wait_p95_s,handle_p50_s,handle_p90_s,first_response_p90_s,sla_attainment,csat_responses,csat_average',
    )
    const offeredInCsv = csv
      .slice(1)
      .filter(Boolean)
      .reduce((n, line) => n + Number(line.split(',')[2]), 0)
    expect(offeredInCsv).toBe(total.offered)
    await chartsDrawn(s)
    await s.screenshot('reports-grouped-en')
    expect(s.errors).toEqual([])
    await s.context.close()
  })

  it('forecasts the next 48 hours with its back-test, and says when a queue has too little history', async () => {
    const s = await open(supervisor.email, 'en', WIDE)
    const { page } = s
    await s.open('/reports')
    await page.click('[data-tab=forecast]')
    await page.waitForURL((u) => u.pathname.endsWith('/reports/forecast'))
    await page.locator('.forecast[data-ready=true]').waitFor()
    // the generated history is a month long: learn from four weeks
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/analytics/forecast') && r.url().includes('weeks=4'),
    )
    await page.locator('[data-test=forecast-weeks]').selectOption('4')
    expect((await answered).status()).toBe(200)
    await expect.poll(() => page.locator('[data-test=forecast-interval]').count()).toBe(48)
    expect(await page.locator('[data-test=forecast-chart]').getAttribute('data-intervals')).toBe('48')
    await page.locator('[data-test=forecast-chart] svg').waitFor()

    const forecast = await api<{
      backtest: { wape: number; mae: number; naive: { wape: number } }
      intervals: Array<{ start: string; requiredAgents: number }>
    }>(supervisor.token, 'GET', '/api/v1/analytics/forecast?horizon=48&serviceLevel=0.8&targetSeconds=20&weeks=4')
    // the six-week forecast shown before also had 48 rows: wait for the four-week figures to be drawn
    await expect.poll(() => page.locator('[data-test=backtest-wape]').innerText()).toBe(pct(forecast.backtest.wape))
    await expect
      .poll(() => page.locator('[data-test=backtest-naive-wape]').innerText())
      .toBe(pct(forecast.backtest.naive.wape))
    expect(await page.locator('[data-test=backtest-text]').innerText()).toContain('WAPE')
    expect(forecast.backtest.wape).toBeGreaterThan(0)
    const agents = await page
      .locator('[data-test=forecast-interval] td:nth-child(3)')
      .evaluateAll((cells) => cells.map((c) => Number(c.textContent)))
    expect(agents).toEqual(forecast.intervals.map((i) => i.requiredAgents))
    await chartsDrawn(s)
    await s.screenshot('reports-forecast-en')

    // a stricter service level needs more agents over the two days
    const before = agents.reduce((a, b) => a + b, 0)
    await page.locator('[data-test=forecast-sl]').fill('95')
    await expect
      .poll(async () =>
        (
          await page
            .locator('[data-test=forecast-interval] td:nth-child(3)')
            .evaluateAll((cells) => cells.map((c) => Number(c.textContent)))
        ).reduce((a, b) => a + b, 0),
      )
      .toBeGreaterThan(before)

    // a queue nothing ever reached: the 422 is explained
    await page.locator('[data-test=forecast-queue]').selectOption(emptyQueueId)
    const notEnough = page.locator('[data-test=forecast-not-enough]')
    await notEnough.waitFor()
    expect(await notEnough.innerText()).toContain('Not enough history to forecast')
    expect(await notEnough.innerText()).toContain('0 conversations in the last 4 weeks')
    expect(s.errors).toEqual([])
    await s.context.close()
  })

  it('lets an admin write a QA rule, try it on a text, see a wrong expression refused, and save it', async () => {
    const s = await open(admin.email, 'en', TALL)
    const { page } = s
    await s.open('/quality/rules')
    await page.locator('[data-test=qa-rule-row]').first().waitFor()
    await page.click('[data-test=rule-new]')
    const form = page.locator('[data-test=rule-form]')
    await form.locator('[data-test=rule-name]').fill('推诿用语 Pushing the customer away')
    const phrase = (i: number) => form.locator('[data-test=rule-phrase]').nth(i)
    await phrase(0).locator('[data-test=phrase-text]').fill('没办法')
    await phrase(0).locator('[data-test=phrase-variants]').fill('没有办法, 没法子')
    await form.locator('[data-test=phrase-add]').click()
    await phrase(1).locator('[data-test=phrase-text]').fill('你自己查')
    // nested repetition: refused by the server, shown beside the phrase
    await phrase(1).locator('[data-test=phrase-regexes]').fill('([你您]+自己)+查')
    await form.locator('[data-test=phrase-add]').click()
    await phrase(2).locator('[data-test=phrase-text]').fill("I don't know")

    // try it before saving: the text's two phrases are marked
    await form.locator('[data-test=try-text]').fill('这个我们也没办法，您自己查一下物流吧。')
    await form.locator('[data-test=try-run]').click()
    await phrase(1).locator('[data-test=phrase-error]').waitFor()
    expect(await db().qaRule.count()).toBe(1)
    await phrase(1).locator('[data-test=phrase-regexes]').fill('[你您]自己(去)?查')
    await form.locator('[data-test=try-run]').click()
    const result = form.locator('[data-test=try-result]')
    await expect.poll(() => result.getAttribute('data-hits')).toBe('2')
    expect(await result.locator('[data-test=try-mark]').allInnerTexts()).toEqual(['没办法', '您自己查'])
    await s.screenshot('quality-rule-editor-en')

    await page.click('[data-test=rule-save]')
    await form.waitFor({ state: 'detached' })
    await page.locator('[data-test=qa-rule-row][data-rule="推诿用语 Pushing the customer away"]').waitFor()
    const saved = await db().qaRule.findFirstOrThrow({ where: { name: '推诿用语 Pushing the customer away' } })
    expect(saved).toMatchObject({ kind: 'forbidden-phrase', category: 'attitude', weight: 10, enabled: true })
    expect(saved.config).toMatchObject({
      speaker: 'agent',
      phrases: [
        { text: '没办法', variants: ['没有办法', '没法子'], regexes: [] },
        { text: '你自己查', variants: [], regexes: ['[你您]自己(去)?查'] },
        { text: "I don't know", variants: [], regexes: [] },
      ],
    })
    await s.screenshot('quality-rules-en')
    expect(s.errors).toEqual([])
    await s.context.close()
  })

  it('highlights the phrases a conversation hit; a supervisor overrides one with a coaching note the agent reads', async () => {
    const hit = await conversation([
      ['customer', '我的快递三天了还没到，订单 88231'],
      ['agent', '您好，为了保护您的隐私，请提供手机号后四位。'],
      ['customer', '1234'],
      ['agent', '快递公司那边延误了，这个我们也没办法。'],
      ['agent', '您自己查一下物流吧。'],
      ['customer', '好吧'],
    ])
    const english = await conversation([
      ['customer', 'Where is my parcel? Order 5521.'],
      ['agent', "Hello! I don't know where it is, sorry."],
      ['customer', 'Not good.'],
    ])
    const clean = await conversation([
      ['customer', '我要开发票'],
      ['agent', '您好，为了保护您的隐私，请确认抬头。'],
      ['agent', '发票已开具，稍后发到您的邮箱。'],
    ])
    const refund = await conversation(
      [
        ['customer', '退款什么时候到账？'],
        ['agent', '您好，为了保护您的隐私，请提供订单号。'],
        ['customer', '88345'],
        ['agent', '退款已原路退回，3 个工作日内到账。'],
      ],
      wangWei,
    )
    const address = await conversation(
      [
        ['customer', 'Can I still change the delivery address?'],
        ['agent', "Sorry, I don't know if that works once it has shipped."],
      ],
      wangWei,
    )
    const row = await inspected(hit)
    expect(row.score).toBe(80)
    expect((await inspected(english)).score).toBe(70)
    expect((await inspected(clean)).score).toBe(100)
    expect((await inspected(refund)).score).toBe(100)
    expect((await inspected(address)).score).toBe(70)

    const s = await open(supervisor.email, 'en', WIDE)
    const { page } = s
    await s.open('/quality')
    await page.locator(`[data-test=qa-result-row][data-conversation="${english}"]`).waitFor()
    expect(await page.locator('[data-test=qa-result-row]').count()).toBe(5)
    await s.screenshot('quality-results-en')
    await page.click(`[data-test=qa-result-row][data-conversation="${hit}"]`)
    await page.waitForURL((u) => u.pathname.endsWith(`/quality/results/${row.id}`))
    const marks = page.locator('[data-test=hit-mark]')
    await marks.first().waitFor()
    expect(await marks.allInnerTexts()).toEqual(['没办法', '您自己查'])
    // each mark sits in the message it was found in, at its place
    const said = page.locator('[data-test=transcript-line]').nth(3)
    expect(await said.innerText()).toContain('快递公司那边延误了，这个我们也没办法。')
    expect(await said.locator('[data-test=hit-mark]').innerText()).toBe('没办法')
    expect(await page.locator('[data-test=result-score]').innerText()).toBe('80')
    await s.screenshot('quality-result-en')

    // the delay was real: the supervisor takes 没办法 back and coaches on 您自己查
    await page.click('[data-test=review-open]')
    const messageOf = (text: string) =>
      db().message.findFirstOrThrow({ where: { conversationId: hit, body: { contains: text } } })
    const noWay = await messageOf('没办法')
    await page.locator(`[data-test=review-hit][data-message="${noWay.id}"] input`).uncheck()
    const coaching = '查物流请说“我帮您查一下”，不要让客户自己查。'
    await page.locator('[data-test=review-coaching]').fill(coaching)
    await page.locator('[data-test=review-note]').fill('快递延误属实，没办法一条不扣分。')
    await s.screenshot('quality-review-en')
    await page.click('[data-test=review-submit]')
    await page.locator('[data-test=qa-result][data-status=reviewed]').waitFor()
    await expect.poll(() => page.locator('[data-test=result-score]').innerText()).toBe('90')
    expect(await page.locator('[data-test=hit-mark].overridden').innerText()).toBe('没办法')
    expect(await page.locator('[data-test=coaching-note]').innerText()).toContain(coaching)
    const review = await db().qaReview.findFirstOrThrow({ where: { resultId: row.id } })
    expect(review).toMatchObject({ verdict: 'override', reviewerId: supervisor.id, coachingNote: coaching })
    expect(review.overrides).toEqual([{ ruleId: expect.any(String), messageId: noWay.id, accepted: false }])
    expect((await db().qaResult.findUniqueOrThrow({ where: { id: row.id } })).score).toBe(90)
    await s.screenshot('quality-reviewed-en')

    await s.open('/quality/scorecards')
    await page.locator(`[data-test=scorecard-row][data-agent="${liNa.id}"]`).waitFor()
    await page.locator('[data-test=scorecards]').waitFor()
    await chartsDrawn(s)
    await s.screenshot('quality-scorecards-en')
    expect(s.errors).toEqual([])
    await s.context.close()

    // Li Na reads the note on her own page, and may open that result, but not the supervisors' pages
    const agent = await open(liNa.email, 'en', WIDE)
    await agent.page.locator('[data-nav="/quality/me"]').waitFor()
    expect(await agent.page.locator('[data-nav="/quality"]').count()).toBe(0)
    expect(await agent.page.locator('[data-nav="/reports"]').count()).toBe(0)
    await agent.page.click('[data-nav="/quality/me"]')
    await agent.page.locator('[data-test=my-quality][data-ready=true]').waitFor()
    const note = agent.page.locator('[data-test=my-coaching-note]')
    await note.waitFor()
    expect(await note.innerText()).toContain(coaching)
    expect(await note.innerText()).toContain('Zhou Min')
    expect(await agent.page.locator('[data-test=my-result-row]').count()).toBe(3)
    // (80 → 90) + 70 + 100
    expect(await agent.page.locator('[data-test=my-average]').innerText()).toBe('86.7')
    await chartsDrawn(agent)
    await agent.screenshot('quality-mine-en')
    await note.click()
    await agent.page.waitForURL((u) => u.pathname.endsWith(`/quality/results/${row.id}`))
    await agent.page.locator('[data-test=coaching-note]').waitFor()
    expect(await agent.page.locator('[data-test=review-open]').count()).toBe(0)
    await agent.open('/reports')
    await agent.page.waitForURL((u) => !u.pathname.endsWith('/reports'))
    expect(agent.errors).toEqual([])
    await agent.context.close()
  })

  it('reads the same in Chinese', async () => {
    const s = await open(supervisor.email, 'zh-CN', TALL)
    const { page } = s
    await s.open(`/reports?range=custom&from=${days.first}&to=${days.last}&interval=day&groupBy=channel`)
    await page.locator('.metrics[data-ready=true]').waitFor()
    await expect.poll(() => page.locator('[data-test=chart-volume]').getAttribute('data-series')).toBe('3')
    await page.locator('[data-test=top-issue]').first().waitFor()
    expect(await page.locator('[data-kpi=answerRate] .tile-label').innerText()).toBe('接通率')
    expect(await page.locator('[data-test=chart-volume] .chart-title').innerText()).toBe('按渠道的会话量')
    await chartsDrawn(s)
    await s.screenshot('reports-zh-CN')
    await s.context.close()

    const f = await open(supervisor.email, 'zh-CN', WIDE)
    await f.open('/reports/forecast')
    await f.page.locator('.forecast[data-ready=true]').waitFor()
    await f.page.locator('[data-test=forecast-weeks]').selectOption('4')
    await f.page.locator('[data-test=forecast-chart] svg').waitFor()
    await expect.poll(() => f.page.locator('[data-test=backtest-text]').innerText()).toContain('上周同一小时')
    await chartsDrawn(f)
    await f.screenshot('reports-forecast-zh-CN')
    const result = await db().qaResult.findFirstOrThrow({ where: { status: 'reviewed' } })
    await f.open(`/quality/results/${result.id}`)
    await f.page.locator('[data-test=hit-mark]').first().waitFor()
    expect(await f.page.locator('[data-test=review]').first().innerText()).toContain('已改判')
    await f.screenshot('quality-result-zh-CN')
    await f.open('/quality')
    await f.page.locator('[data-test=qa-result-row]').first().waitFor()
    await f.screenshot('quality-results-zh-CN')
    expect(f.errors).toEqual([])
    await f.context.close()

    const a = await open(admin.email, 'zh-CN', TALL)
    await a.open('/quality/rules')
    await a.page.locator('[data-test=qa-rule-row]').nth(1).waitFor()
    await a.page.locator('[data-test=rule-edit]').nth(1).click()
    await a.page.locator('[data-test=try-text]').fill('这个我们也没办法，你自己查吧')
    await a.page.locator('[data-test=try-run]').click()
    await expect.poll(() => a.page.locator('[data-test=try-result]').getAttribute('data-hits')).toBe('2')
    await a.screenshot('quality-rule-editor-zh-CN')
    expect(a.errors).toEqual([])
    await a.context.close()

    const agent = await open(liNa.email, 'zh-CN', WIDE)
    await agent.open('/quality/me')
    await agent.page.locator('[data-test=my-coaching-note]').waitFor()
    expect(await agent.page.locator('h1').innerText()).toBe('我的质检')
    await chartsDrawn(agent)
    await agent.screenshot('quality-mine-zh-CN')
    expect(agent.errors).toEqual([])
    await agent.context.close()

    // the supervisor guide shows these
    mkdirSync(docsImages, { recursive: true })
    const kept = [
      'reports-en',
      'reports-zh-CN',
      'reports-forecast-en',
      'reports-forecast-zh-CN',
      'quality-results-en',
      'quality-results-zh-CN',
      'quality-result-en',
      'quality-result-zh-CN',
      'quality-review-en',
      'quality-rule-editor-en',
      'quality-rule-editor-zh-CN',
      'quality-scorecards-en',
      'quality-mine-en',
      'quality-mine-zh-CN',
    ]
    for (const name of kept) {
      const file = join(screenshotDir, `${name}.png`)
      expect(existsSync(file), name).toBe(true)
      copyFileSync(file, join(docsImages, `${name}.png`))
    }
  })
})
