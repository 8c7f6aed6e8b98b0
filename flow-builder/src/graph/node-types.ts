import type { FlowNode } from './document'

/** A node type as GET /api/v1/node-types describes it. */
export interface NodeTypeInfo {
  type: string
  version: number
  title: { en: string; 'zh-CN': string }
  description: { en: string; 'zh-CN': string }
  category: string
  channels: Array<'text' | 'voice'>
  configSchema: Record<string, unknown>
  /** null when the ports depend on the config (ask /api/v1/node-types/{type}/ports) */
  ports: string[] | null
  dynamicPorts: boolean
  requiredPorts: string[] | null
  expressionFields: Array<{ path: string; kind: 'expression' | 'template' }>
}

/** The palette's order of categories; a plugin's unknown category comes last. */
export const CATEGORY_ORDER = ['flow', 'messaging', 'logic', 'ai', 'routing', 'tickets', 'integration', 'voice']

/** The colour and the one-glyph icon of each category (the palette of styles.css). */
export const CATEGORY_STYLE: Record<string, { color: string; icon: string }> = {
  flow: { color: '#475467', icon: '◆' },
  messaging: { color: '#4f46e5', icon: '✉' },
  logic: { color: '#f79009', icon: '◇' },
  ai: { color: '#7a5af8', icon: '✦' },
  routing: { color: '#0ba5ec', icon: '⇄' },
  tickets: { color: '#ee46bc', icon: '▤' },
  integration: { color: '#12b76a', icon: '⚙' },
  voice: { color: '#f04438', icon: '☎' },
}
export const categoryStyle = (category: string) => CATEGORY_STYLE[category] ?? { color: '#667085', icon: '▣' }

export const NOTE_TYPE = 'note'
export const START_TYPE = 'start'

export function groupByCategory(types: NodeTypeInfo[]): Array<{ category: string; types: NodeTypeInfo[] }> {
  const groups = new Map<string, NodeTypeInfo[]>()
  for (const t of types) groups.set(t.category, [...(groups.get(t.category) ?? []), t])
  const rank = (c: string) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : CATEGORY_ORDER.length)
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, list]) => ({ category, types: list }))
}

/** Palette search: matches the type, both titles and the description. */
export function matchesSearch(t: NodeTypeInfo, query: string): boolean {
  const q = query.trim().toLowerCase()
  if (!q) return true
  return [t.type, t.title.en, t.title['zh-CN'], t.description.en, t.description['zh-CN']].some((s) =>
    s.toLowerCase().includes(q),
  )
}

/** The cache key of a node's dynamic ports: its type and config. */
export const portsKey = (node: Pick<FlowNode, 'type' | 'config'>) => `${node.type}\u0000${JSON.stringify(node.config)}`

/** The output ports of a node: the type's fixed ports, or the resolved dynamic ones (empty until known). */
export function portsOfNode(
  node: Pick<FlowNode, 'type' | 'config'>,
  type: NodeTypeInfo | undefined,
  dynamic: ReadonlyMap<string, string[]>,
): string[] {
  if (!type) return []
  if (type.ports) return type.ports
  return dynamic.get(portsKey(node)) ?? []
}

/** The default config for a new node: the schema's top-level defaults. */
export function defaultConfig(type: NodeTypeInfo): Record<string, unknown> {
  const props = (type.configSchema.properties ?? {}) as Record<string, { default?: unknown }>
  const config: Record<string, unknown> = {}
  for (const [key, prop] of Object.entries(props))
    if (prop.default !== undefined) config[key] = structuredClone(prop.default)
  return config
}
