import type { Db, Prisma } from '../storage/index.js'
import type { TicketSettings, TicketStatus } from './tickets-dto.js'

export type Lang = 'en' | 'zh-CN'

/** How the customer reads a status (their status page and the messages in their conversation). */
export const STATUS_TEXT: Record<TicketStatus, Record<Lang, string>> = {
  open: { en: 'Open — we are working on it', 'zh-CN': '处理中' },
  pending: { en: 'Waiting for your reply', 'zh-CN': '等待您的回复' },
  resolved: { en: 'Resolved', 'zh-CN': '已解决' },
  closed: { en: 'Closed', 'zh-CN': '已关闭' },
}

/** What the customer's status page says: a ticket's status, or that it was merged into another request. */
export const PUBLIC_STATUS_TEXT: Record<TicketStatus | 'merged', Record<Lang, string>> = {
  ...STATUS_TEXT,
  merged: { en: 'Merged into another request', 'zh-CN': '已合并到另一个请求' },
}

export function langOf(language: string | null | undefined): Lang {
  return language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

/** The message posted in the customer's conversation for a ticket event; null: nothing to tell. */
export function customerMessage(
  event: 'created' | 'pending' | 'resolved',
  ticket: { id: number; subject: string },
  lang: Lang,
  statusUrl: string | null,
): string {
  const link = statusUrl ? (lang === 'zh-CN' ? `查看进度：${statusUrl}` : `Follow it here: ${statusUrl}`) : ''
  const lines: Record<typeof event, Record<Lang, string>> = {
    created: {
      en: `We have opened ticket #${ticket.id} “${ticket.subject}” for you.`,
      'zh-CN': `已为您创建工单 #${ticket.id}「${ticket.subject}」，我们会尽快处理。`,
    },
    pending: {
      en: `Ticket #${ticket.id} is waiting for your reply.`,
      'zh-CN': `工单 #${ticket.id} 正在等待您的回复。`,
    },
    resolved: {
      en: `Ticket #${ticket.id} “${ticket.subject}” has been resolved.`,
      'zh-CN': `工单 #${ticket.id}「${ticket.subject}」已解决。`,
    },
  }
  return [lines[event][lang], link].filter(Boolean).join(lang === 'zh-CN' ? '' : ' ')
}

export const SETTINGS_KEY = 'tickets.settings'
const DEFAULTS: TicketSettings = { customerUpdates: true }

export async function readTicketSettings(db: Db): Promise<TicketSettings> {
  const row = await db.setting.findUnique({ where: { key: SETTINGS_KEY } })
  const value = (row?.value ?? {}) as Partial<TicketSettings>
  return {
    customerUpdates: typeof value.customerUpdates === 'boolean' ? value.customerUpdates : DEFAULTS.customerUpdates,
  }
}

export async function writeTicketSettings(db: Db, settings: TicketSettings): Promise<void> {
  const value = { ...settings } as Prisma.InputJsonObject
  await db.setting.upsert({ where: { key: SETTINGS_KEY }, create: { key: SETTINGS_KEY, value }, update: { value } })
}
