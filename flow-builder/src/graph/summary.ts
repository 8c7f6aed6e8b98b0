import type { FlowNode } from './document'

const text = (v: unknown, locale: string): string | undefined => {
  if (typeof v === 'string') return v
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    const preferred = o[locale] ?? o.en ?? o['zh-CN']
    return typeof preferred === 'string' ? preferred : undefined
  }
  return undefined
}

/** One line that says what a node does with its config, shown under its title on the canvas. */
export function summarizeConfig(node: Pick<FlowNode, 'type' | 'config'>, locale: string): string {
  const c = node.config
  const line = (() => {
    switch (node.type) {
      case 'send-message':
      case 'play':
        return text(c.text, locale)
      case 'ask':
      case 'menu':
      case 'gather':
      case 'record':
        return text(c.prompt, locale)
      case 'condition':
        return typeof c.expression === 'string' ? c.expression : undefined
      case 'switch':
        return Array.isArray(c.cases) ? (c.cases as Array<{ port?: string }>).map((x) => x.port).join(' · ') : undefined
      case 'set-variables':
        return Array.isArray(c.assignments)
          ? (c.assignments as Array<{ name?: string; value?: string }>).map((a) => `${a.name} = ${a.value}`).join('; ')
          : undefined
      case 'plugin-action':
        return typeof c.action === 'string' ? `${c.action} → ${String(c.variable ?? 'result')}` : undefined
      case 'http-request':
        return typeof c.url === 'string' ? `${String(c.method ?? 'GET')} ${c.url}` : undefined
      case 'handoff':
        return typeof c.queue === 'string' ? c.queue : undefined
      case 'note':
        return typeof c.text === 'string' ? c.text : undefined
      default: {
        const first = Object.values(c).find((v) => typeof v === 'string' && v) as string | undefined
        return (
          first ??
          text(
            Object.values(c).find((v) => v && typeof v === 'object'),
            locale,
          )
        )
      }
    }
  })()
  const oneLine = (line ?? '').replace(/\s+/g, ' ').trim()
  return oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine
}
