import type { ServerRoute } from '@hapi/hapi'
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'
import { ErrorCode, userError } from '../../errors/index.js'
import { defineRoute } from '../../http/define-route.js'
import type { Db } from '../../storage/index.js'

type Localized = { en: string; 'zh-CN': string }

/** The channels the core itself carries (the web chat widget and the phone line). */
const CORE_CHANNELS: Array<{ name: string; title: Localized }> = [
  { name: 'webchat', title: { en: 'Web chat', 'zh-CN': '网页聊天' } },
  { name: 'voice', title: { en: 'Phone', 'zh-CN': '电话' } },
]

export const channelDto = z.object({
  name: z.string().describe('what a channel-entry trigger names, e.g. webchat, voice, wechat-oa'),
  title: z.object({ en: z.string(), 'zh-CN': z.string() }),
  source: z.string().describe('core, or the channel plugin that declares it'),
  enabled: z.boolean().describe('false when its plugin is disabled'),
  entryFlow: z
    .object({ flowId: z.string(), flowName: z.string(), triggerId: z.string() })
    .nullable()
    .describe("the flow that answers the channel's new conversations, if one is set"),
})
export type ChannelView = z.infer<typeof channelDto>

/**
 * Every channel a flow can be the entry of: the core's own (webchat, voice) and the ones the
 * installed channel plugins declare in their manifests, each with the flow that currently
 * answers its new conversations.
 */
export async function listChannels(db: Db): Promise<ChannelView[]> {
  const byName = new Map<string, Omit<ChannelView, 'entryFlow'>>()
  for (const c of CORE_CHANNELS) byName.set(c.name, { ...c, source: 'core', enabled: true })
  for (const plugin of await db.plugin.findMany({ orderBy: { id: 'asc' } })) {
    const channels = ((plugin.manifest ?? {}) as { channels?: Record<string, { title?: Partial<Localized> }> }).channels
    for (const [name, channel] of Object.entries(channels ?? {})) {
      const en = channel.title?.en ?? name
      byName.set(name, {
        name,
        title: { en, 'zh-CN': channel.title?.['zh-CN'] ?? en },
        source: plugin.id,
        enabled: plugin.enabled,
      })
    }
  }
  const entries = await db.flowTrigger.findMany({
    where: { kind: 'channel-entry', enabled: true },
    include: { flow: { select: { id: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  })
  return [...byName.values()].map((c) => {
    const entry = entries.find((t) => (t.config as { channel?: string }).channel === c.name)
    return { ...c, entryFlow: entry ? { flowId: entry.flow.id, flowName: entry.flow.name, triggerId: entry.id } : null }
  })
}

const schedulePreviewQuery = z.strictObject({
  cron: z.string().min(9).max(100),
  timezone: z.string().min(1).max(64).default('Asia/Shanghai'),
  count: z.coerce.number().int().min(1).max(10).default(3),
})

/** The next runs of a cron schedule, the way the scheduler will compute them. */
export function nextScheduleRuns(input: z.infer<typeof schedulePreviewQuery>, now: Date): string[] {
  try {
    // an unknown zone is a RangeError here (cron-parser would quietly compute in UTC)
    new Intl.DateTimeFormat('en', { timeZone: input.timezone })
    const parsed = CronExpressionParser.parse(input.cron, { tz: input.timezone, currentDate: now })
    return Array.from({ length: input.count }, () => parsed.next().toDate().toISOString())
  } catch (error) {
    throw userError(
      ErrorCode.VALIDATION,
      `"${input.cron}" is not a cron schedule in ${input.timezone}: ${(error as Error).message}`,
      { details: [{ in: 'query', path: 'cron', message: (error as Error).message }] },
    )
  }
}

/** Read-only helpers for the builder's "What starts this flow" panel. */
export function channelsRoutes(db: Db, now: () => Date): ServerRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/channels',
      access: 'supervisor',
      tags: ['flows'],
      summary: 'Channels a flow can answer (core and channel plugins), each with its current entry flow',
      response: z.array(channelDto),
      handler: async () => listChannels(db),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/flow-triggers/schedule-preview',
      access: 'supervisor',
      tags: ['flows'],
      summary: 'The next runs of a cron schedule in a time zone (what a schedule trigger would do)',
      query: schedulePreviewQuery,
      response: z.object({ next: z.array(z.string()) }),
      handler: async ({ query }) => ({ next: nextScheduleRuns(query, now()) }),
    }),
  ]
}
