import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { checkExpression, checkTemplate } from '../expressions/expressions.js'
import { flowDocumentSchema, type FlowDocument } from '../document/flow-document.js'
import { migrateFlowDocument } from '../document/migrate-document.js'
import { portsOf, requiredPortsOf, type NodeTypeDefinition } from '../node-types/node-type.js'
import type { NodeTypeRegistry } from '../node-types/registry.js'

/** Comments on the canvas: never connected, never run, so never "unreachable". */
const NOTE_NODE_TYPE = 'note'

/** Every code a problem can have (the builder has a message in each language for each). */
export const FLOW_PROBLEM_CODES = [
  'document',
  'duplicate-node',
  'unknown-node-type',
  'invalid-config',
  'invalid-expression',
  'no-start',
  'several-starts',
  'dangling-edge',
  'unknown-port',
  'duplicate-edge',
  'missing-port',
  'unreachable',
] as const
export type FlowProblemCode = (typeof FLOW_PROBLEM_CODES)[number]

export interface FlowProblem {
  code: FlowProblemCode
  message: string
  /** the node the problem is on, for the builder to highlight */
  nodeId?: string
  /** index of the edge in `edges` */
  edge?: number
  /** where in the document or the node's config */
  path?: string
  /**
   * The values `message` is built from (node id and label, type, port, field, the expression's
   * error…), so a client can say the same in its own language from `code` + `params`.
   */
  params: Record<string, string | number>
}

export type ValidationResult =
  { ok: true; document: FlowDocument; problems: [] } | { ok: false; document?: FlowDocument; problems: FlowProblem[] }

// zod writes `z.string().url()` as format "uri": check it the way the executor's zod parse will
// (an unknown format would only be warned about on the console and let a bad URL through)
const ajv = new Ajv2020({ allErrors: true, strict: false, formats: { uri: (value: string) => URL.canParse(value) } })
const compiledSchemas = new WeakMap<NodeTypeDefinition, ValidateFunction>()

function configValidator(definition: NodeTypeDefinition): ValidateFunction {
  let validate = compiledSchemas.get(definition)
  if (!validate) compiledSchemas.set(definition, (validate = ajv.compile(definition.configSchema)))
  return validate
}

/**
 * Checks a flow document and returns every problem at once, each with the node (or edge) it is
 * on: the document's shape, unknown node types, configs that do not match their node type's
 * JSON Schema, bad expressions, dangling or duplicate edges, unknown or unconnected required
 * ports, unreachable nodes, and a missing or repeated start.
 */
export function validateFlow(input: unknown, registry: NodeTypeRegistry): ValidationResult {
  const parsed = flowDocumentSchema.safeParse(migrateFlowDocument(input))
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const [top, index] = issue.path
        const nodeId =
          top === 'nodes' && typeof index === 'number'
            ? (input as { nodes?: Array<{ id?: unknown }> })?.nodes?.[index]?.id
            : undefined
        return {
          code: 'document' as const,
          message: `${issue.path.join('.') || 'document'}: ${issue.message}`,
          path: issue.path.join('.'),
          params: { path: issue.path.join('.') || 'document', detail: issue.message },
          ...(typeof nodeId === 'string' ? { nodeId } : {}),
          ...(top === 'edges' && typeof index === 'number' ? { edge: index } : {}),
        }
      }),
    }
  }
  const doc = parsed.data
  const problems: FlowProblem[] = []
  const nodes = new Map<string, FlowDocument['nodes'][number]>()
  const label = (node: FlowDocument['nodes'][number]) => node.title || node.id
  for (const node of doc.nodes) {
    if (nodes.has(node.id))
      problems.push({
        code: 'duplicate-node',
        nodeId: node.id,
        message: `node id "${node.id}" is used twice`,
        params: { nodeId: node.id, label: label(node) },
      })
    nodes.set(node.id, node)
  }

  const definitions = new Map<string, NodeTypeDefinition>()
  for (const node of doc.nodes) {
    const definition = registry.get(node.type)
    if (!definition) {
      problems.push({
        code: 'unknown-node-type',
        nodeId: node.id,
        message: `node "${node.id}" has unknown type "${node.type}"`,
        params: { nodeId: node.id, label: label(node), type: node.type },
      })
      continue
    }
    const validate = configValidator(definition)
    const schemaProblems = validate(node.config)
      ? (definition.checkConfig?.(node.config) ?? []).map((p) => ({
          where: p.path,
          detail: p.message,
          reason: 'rule',
          setting: '',
        }))
      : (validate.errors ?? []).map((e) => {
          const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : ''
          const unknown = e.keyword === 'additionalProperties'
          const missing = e.keyword === 'required'
          const setting = unknown
            ? (e.params as { additionalProperty: string }).additionalProperty
            : missing
              ? (e.params as { missingProperty: string }).missingProperty
              : ''
          const detail = unknown
            ? `unknown setting "${setting}"`
            : missing
              ? `missing setting "${setting}"`
              : (e.message ?? 'is not valid')
          return {
            where,
            detail,
            reason: unknown ? 'unknown-setting' : missing ? 'missing-setting' : 'schema',
            setting,
          }
        })
    if (schemaProblems.length) {
      // ports of a node whose config is wrong are unknown: its edges are not checked either
      for (const { where, detail, reason, setting } of schemaProblems) {
        problems.push({
          code: 'invalid-config',
          nodeId: node.id,
          path: `config${where ? '.' + where : ''}`,
          message: `node "${node.id}" (${node.type}): ${where ? where + ' ' : ''}${detail}`,
          // reason: unknown-setting | missing-setting (with `setting`), schema or rule (with `detail`)
          params: { nodeId: node.id, label: label(node), type: node.type, field: where, reason, setting, detail },
        })
      }
      continue
    }
    definitions.set(node.id, definition)
    for (const field of definition.expressionFields ?? []) {
      for (const { path, value } of valuesAt(node.config, field.path)) {
        // a localized text { en, zh-CN } holds one template per language
        const texts: Array<[string, unknown]> =
          field.kind === 'template' && value && typeof value === 'object' && !Array.isArray(value)
            ? Object.entries(value).map(([k, v]) => [`${path}.${k}`, v])
            : [[path, value]]
        for (const [where, text] of texts) {
          if (typeof text !== 'string') continue
          const problem = field.kind === 'expression' ? checkExpression(text) : checkTemplate(text)
          if (problem)
            problems.push({
              code: 'invalid-expression',
              nodeId: node.id,
              path: `config.${where}`,
              message: `node "${node.id}": ${problem}`,
              params: { nodeId: node.id, label: label(node), field: where, error: problem },
            })
        }
      }
    }
  }

  const starts = doc.nodes.filter((n) => n.type === 'start')
  if (starts.length === 0) problems.push({ code: 'no-start', message: 'the flow has no start node', params: {} })
  for (const extra of starts.slice(1))
    problems.push({
      code: 'several-starts',
      nodeId: extra.id,
      message: `node "${extra.id}" is a second start node; a flow has exactly one`,
      params: { nodeId: extra.id, label: label(extra) },
    })

  const used = new Map<string, number>()
  doc.edges.forEach((edge, index) => {
    const from = nodes.get(edge.from)
    if (!from)
      problems.push({
        code: 'dangling-edge',
        edge: index,
        message: `edge ${index} starts at unknown node "${edge.from}"`,
        params: { edge: index, from: edge.from, to: edge.to, missing: edge.from },
      })
    if (!nodes.has(edge.to))
      problems.push({
        code: 'dangling-edge',
        edge: index,
        nodeId: edge.from,
        message: `edge ${index} from "${edge.from}" goes to unknown node "${edge.to}"`,
        params: { edge: index, from: edge.from, to: edge.to, missing: edge.to },
      })
    const definition = from && definitions.get(from.id)
    if (definition && !portsOf(definition, from).includes(edge.port)) {
      problems.push({
        code: 'unknown-port',
        edge: index,
        nodeId: edge.from,
        message: `node "${edge.from}" (${from.type}) has no output port "${edge.port}" (ports: ${portsOf(definition, from).join(', ') || 'none'})`,
        params: {
          nodeId: edge.from,
          label: label(from),
          type: from.type,
          port: edge.port,
          ports: portsOf(definition, from).join(', ') || '–',
          edge: index,
        },
      })
    }
    const key = `${edge.from}\u0000${edge.port}`
    if (used.has(key))
      problems.push({
        code: 'duplicate-edge',
        edge: index,
        nodeId: edge.from,
        message: `port "${edge.port}" of node "${edge.from}" is connected twice (edges ${used.get(key)} and ${index})`,
        params: {
          nodeId: edge.from,
          label: from ? label(from) : edge.from,
          port: edge.port,
          first: used.get(key)!,
          edge: index,
        },
      })
    else used.set(key, index)
  })

  for (const node of doc.nodes) {
    const definition = definitions.get(node.id)
    if (!definition) continue
    for (const port of requiredPortsOf(definition, node)) {
      if (!used.has(`${node.id}\u0000${port}`))
        problems.push({
          code: 'missing-port',
          nodeId: node.id,
          message: `port "${port}" of node "${node.id}" (${node.type}) must be connected`,
          params: { nodeId: node.id, label: label(node), type: node.type, port },
        })
    }
  }

  if (starts.length > 0) {
    const reached = new Set<string>([starts[0]!.id])
    const queue = [starts[0]!.id]
    while (queue.length) {
      const id = queue.shift()!
      for (const edge of doc.edges)
        if (edge.from === id && nodes.has(edge.to) && !reached.has(edge.to)) {
          reached.add(edge.to)
          queue.push(edge.to)
        }
    }
    for (const node of doc.nodes)
      if (!reached.has(node.id) && node.type !== NOTE_NODE_TYPE)
        problems.push({
          code: 'unreachable',
          nodeId: node.id,
          message: `node "${node.id}" cannot be reached from the start`,
          params: { nodeId: node.id, label: label(node) },
        })
  }

  return problems.length ? { ok: false, document: doc, problems } : { ok: true, document: doc, problems: [] }
}

/** Values at a dotted path where `*` stands for every element of an array. */
function valuesAt(root: unknown, path: string): Array<{ path: string; value: unknown }> {
  let current: Array<{ path: string; value: unknown }> = [{ path: '', value: root }]
  for (const part of path.split('.')) {
    const next: Array<{ path: string; value: unknown }> = []
    for (const { path: p, value } of current) {
      if (part === '*' && Array.isArray(value))
        value.forEach((v, i) => next.push({ path: p ? `${p}.${i}` : String(i), value: v }))
      else if (part === '*' && value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) next.push({ path: p ? `${p}.${k}` : k, value: v })
      else if (value && typeof value === 'object' && part in value)
        next.push({ path: p ? `${p}.${part}` : part, value: (value as Record<string, unknown>)[part] })
    }
    current = next
  }
  return current
}
