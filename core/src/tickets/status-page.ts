import { PUBLIC_STATUS_TEXT, type Lang } from './customer-status.js'
import type { PublicTicketStatus } from './tickets-dto.js'

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** `?lang=` first, then the browser's Accept-Language: Chinese or English. */
export function pageLanguage(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'zh-CN' || query === 'zh') return 'zh-CN'
  if (query === 'en') return 'en'
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? ''
  return first.startsWith('zh') ? 'zh-CN' : 'en'
}

const TEXT = {
  title: { en: 'Ticket status', 'zh-CN': '工单进度' },
  ticket: { en: 'Ticket', 'zh-CN': '工单' },
  status: { en: 'Status', 'zh-CN': '状态' },
  opened: { en: 'Opened', 'zh-CN': '创建时间' },
  updated: { en: 'Last update', 'zh-CN': '最近更新' },
  merged: {
    en: 'This request was combined with another one, where our team goes on working on it.',
    'zh-CN': '此请求已与另一个请求合并，我们会在那里继续处理。',
  },
  notFoundTitle: { en: 'Ticket not found', 'zh-CN': '未找到工单' },
  notFound: {
    en: 'This status link is not valid. Please check the link you received, or contact us again.',
    'zh-CN': '此进度链接无效。请检查您收到的链接，或再次联系我们。',
  },
  other: { en: '中文', 'zh-CN': 'English' },
}

function formatTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: lang === 'zh-CN' ? 'Asia/Shanghai' : 'UTC',
  }).format(date)
}

function page(lang: Lang, title: string, body: string): string {
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN'
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>
  body { font-family: system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; color: #1f2328; margin: 0; }
  main { max-width: 32rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 1.25rem; margin: 0 0 1.5rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .6rem 1.25rem; margin: 0; }
  dt { color: #656d76; }
  dd { margin: 0; }
  .status { display: inline-block; padding: .15rem .6rem; border-radius: 999px; font-weight: 600; background: #ddf4ff; color: #0550ae; }
  .status.resolved, .status.closed, .status.merged { background: #dafbe1; color: #116329; }
  .status.pending { background: #fff8c5; color: #7d4e00; }
  .note { color: #656d76; font-size: .9rem; margin-top: 1.25rem; }
  nav { text-align: right; font-size: .85rem; margin-bottom: 1rem; }
  a { color: #0969da; }
</style>
</head>
<body>
<main>
<nav><a href="?lang=${other}">${TEXT.other[lang]}</a></nav>
${body}
</main>
</body>
</html>
`
}

/** The customer's status page: number, subject, status and times; nothing internal. */
export function renderStatusPage(status: PublicTicketStatus, lang: Lang): string {
  const rows = [
    [TEXT.ticket[lang], `#${status.number} ${escape(status.subject)}`],
    [
      TEXT.status[lang],
      `<span class="status ${status.status}">${escape(PUBLIC_STATUS_TEXT[status.status][lang])}</span>`,
    ],
    [TEXT.opened[lang], escape(formatTime(status.createdAt, lang))],
    [TEXT.updated[lang], escape(formatTime(status.updatedAt, lang))],
  ]
  const merged = status.status === 'merged' ? `<p class="note">${escape(TEXT.merged[lang])}</p>` : ''
  return page(
    lang,
    TEXT.title[lang],
    `<h1>${TEXT.title[lang]}</h1>
<dl>
${rows.map(([k, v]) => `  <dt>${k}</dt><dd>${v}</dd>`).join('\n')}
</dl>
${merged}`,
  )
}

export function renderNotFoundPage(lang: Lang): string {
  return page(lang, TEXT.notFoundTitle[lang], `<h1>${TEXT.notFoundTitle[lang]}</h1>\n<p>${TEXT.notFound[lang]}</p>`)
}
