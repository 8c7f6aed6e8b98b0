import type { FlowNode } from '../document/flow-document.js'
import type { ExecutionContext, NodeResult, ResumeEvent } from '../runtime/execution-context.js'

export type Localized = { en: string; 'zh-CN': string }

export const nodeCategories = [
  'flow',
  'messaging',
  'logic',
  'ai',
  'routing',
  'tickets',
  'integration',
  'voice',
] as const
export type NodeCategory = (typeof nodeCategories)[number]

/**
 * One shape for every node type, built-in or contributed by a plugin: what the builder shows
 * (title, category, config form from `configSchema`), how the validator checks a node (schema,
 * ports) and how the engine runs it (`execute`, and `resume` for nodes that wait).
 */
export interface NodeTypeDefinition<Config = Record<string, unknown>> {
  type: string
  /** the version of this node type's behaviour; stored nodes keep working when it changes */
  version: number
  title: Localized
  description: Localized
  category: NodeCategory
  /** JSON Schema (draft 2020-12) of `config`; the builder renders the form from it */
  configSchema: Record<string, unknown>
  /** output ports; a function when they depend on the config (menu choices, switch cases) */
  ports: readonly string[] | ((config: Config) => string[])
  /** ports that must be connected for the flow to be valid */
  requiredPorts?: readonly string[] | ((config: Config) => string[])
  /** where it makes sense: text channels, voice calls, or both */
  channels: ReadonlyArray<'text' | 'voice'>
  /** config fields holding expressions or templates, checked for syntax by the validator */
  expressionFields?: ReadonlyArray<{ path: string; kind: 'expression' | 'template' }>
  /** rules beyond the JSON Schema (e.g. "give duration or until"): the problems found, empty when none */
  checkConfig?(config: unknown): Array<{ path: string; message: string }>
  execute(ctx: ExecutionContext<Config>): Promise<NodeResult>
  /** called with the event a waiting node receives (input, timeout, event) */
  resume?(ctx: ExecutionContext<Config>, event: ResumeEvent): Promise<NodeResult>
}

export function portsOf(definition: NodeTypeDefinition, node: Pick<FlowNode, 'config'>): string[] {
  const ports = definition.ports
  return typeof ports === 'function' ? ports(node.config as never) : [...ports]
}

export function requiredPortsOf(definition: NodeTypeDefinition, node: Pick<FlowNode, 'config'>): string[] {
  const ports = definition.requiredPorts
  if (!ports) return []
  return typeof ports === 'function' ? ports(node.config as never) : [...ports]
}
