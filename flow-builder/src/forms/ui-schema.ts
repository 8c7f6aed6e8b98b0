import type { ErrorSchema, UiSchema } from '@rjsf/utils'
import { expressionKindAt } from '../graph/expressions'
import type { NodeTypeInfo } from '../graph/node-types'

type Schema = Record<string, unknown>

const isLocalizedText = (s: Schema) => {
  const any = s.anyOf as Schema[] | undefined
  if (!any || any.length !== 2) return false
  const obj = any.find((o) => o.type === 'object') as { properties?: Record<string, unknown> } | undefined
  return !!any.find((o) => o.type === 'string') && !!obj?.properties?.en && !!obj.properties['zh-CN']
}
const isScalarUnion = (s: Schema) =>
  Array.isArray(s.anyOf) &&
  (s.anyOf as Schema[]).every((o) => ['string', 'integer', 'number'].includes(o.type as string))
const isStringMap = (s: Schema) =>
  s.type === 'object' && !s.properties && (s.additionalProperties as Schema | undefined)?.type === 'string'

/**
 * The form's uiSchema from a node type: localized texts get the two-language field, number-or-
 * text unions one text box, string maps key/value rows, and the expression fields the
 * autocompleting widget; enums show their choices' names (`x-enumNames`). Paths use `*` for
 * array items, as the node type's expressionFields do. `schema` is the config schema as the form
 * shows it (localized); the node type's by default.
 */
export function buildUiSchema(info: NodeTypeInfo, schema: Schema = info.configSchema): UiSchema {
  const walk = (schema: Schema, path: string[]): UiSchema => {
    const kind = path.length ? expressionKindAt(info.expressionFields, path.join('.')) : null
    const ui: UiSchema = {}
    if (isLocalizedText(schema))
      return {
        'ui:field': 'localizedText',
        'ui:fieldReplacesAnyOrOneOf': true,
        'ui:options': { expression: kind ?? 'template' },
      }
    if (isScalarUnion(schema))
      return { 'ui:field': 'scalarText', 'ui:fieldReplacesAnyOrOneOf': true, 'ui:options': { expression: kind } }
    if (isStringMap(schema))
      return {
        'ui:field': 'keyValue',
        'ui:options': { expression: expressionKindAt(info.expressionFields, [...path, '*'].join('.')) },
      }
    if (kind && schema.type === 'string') return { 'ui:widget': 'expression', 'ui:options': { expression: kind } }
    if (schema.type === 'string' && typeof schema.maxLength === 'number' && schema.maxLength >= 1000 && !schema.enum)
      return { 'ui:widget': 'textarea' }
    if (Array.isArray(schema.enum) && schema['x-enumNames'])
      ui['ui:enumNames'] = schema['x-enumNames'] as Record<string, string>
    const props = schema.properties as Record<string, Schema> | undefined
    if (props) for (const [key, child] of Object.entries(props)) ui[key] = walk(child, [...path, key])
    if (schema.type === 'array' && schema.items && typeof schema.items === 'object')
      ui.items = walk(schema.items as Schema, [...path, '*'])
    return ui
  }
  return { ...walk(schema, []), 'ui:submitButtonOptions': { norender: true } }
}

/** The validator's problems of a node as rjsf extraErrors (path `cases.0.when` → { cases: { 0: { when: { __errors } } } }). */
export function toErrorSchema(fieldErrors: ReadonlyMap<string, string[]>): ErrorSchema {
  const root: Record<string, unknown> = {}
  for (const [path, messages] of fieldErrors) {
    let at = root
    for (const part of path.split('.').filter(Boolean)) at = (at[part] ??= {}) as Record<string, unknown>
    at.__errors = [...((at.__errors as string[] | undefined) ?? []), ...messages]
  }
  return root as ErrorSchema
}

/**
 * Drops what the form adds but the user did not set: optional objects left empty (a send-message
 * `media` {} would fail its required url) and empty optional strings.
 */
export function pruneConfig(value: unknown, schema: Schema): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value
  const props = (schema.properties ?? {}) as Record<string, Schema>
  const required = new Set((schema.required as string[] | undefined) ?? [])
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const child = props[key]
    const pruned = child ? pruneConfig(v, child) : v
    const empty =
      pruned === undefined ||
      pruned === '' ||
      (child?.type === 'object' &&
        child.properties &&
        pruned &&
        typeof pruned === 'object' &&
        !Object.keys(pruned).length)
    if (empty && !required.has(key)) continue
    out[key] = pruned
  }
  return out
}
