import { capabilities } from '@switchboard/plugin-sdk'
import { error, type LintFinding, type LintRule } from '../lint-finding.js'
import { isPlaceholder } from '../placeholder.js'

interface JsonSchema {
  description?: string
  properties?: Record<string, JsonSchema>
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
}

/** A field's description, wherever zod put it (on the field, or on a branch of a nullable). */
function descriptionOf(schema: JsonSchema): string | undefined {
  return (
    schema.description ?? [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].find((s) => s.description)?.description
  )
}

/** Every top-level field of an object schema has a description the admin form and the builder show. */
function undescribedFields(rule: string, where: string, schema: unknown, what: string): LintFinding[] {
  const properties = (schema as JsonSchema).properties ?? {}
  return Object.entries(properties).flatMap(([field, fieldSchema]) => {
    const description = descriptionOf(fieldSchema)
    if (description && !isPlaceholder(description)) return []
    return [
      error(
        rule,
        `${where}.${field}`,
        description
          ? `the description "${description}" is a placeholder`
          : `${what} "${field}" has no description: add .describe('…') to its schema; forms show it`,
      ),
    ]
  })
}

/** Actions that are methods of a capability the plugin implements take the SDK's schemas as they are. */
function capabilityMethods(implemented: string[]): Set<string> {
  return new Set(
    implemented.flatMap((name) => Object.keys(capabilities[name as keyof typeof capabilities]?.methods ?? {})),
  )
}

/** Config, secrets, action inputs and node configs: each field described. */
export const schemaDescriptionRules: LintRule = ({ manifest }) => {
  const fromCapability = capabilityMethods(manifest.implements)
  return [
    ...undescribedFields('config/field-description', 'config', manifest.config, 'config field'),
    ...undescribedFields('secrets/field-description', 'secrets', manifest.secrets, 'secret'),
    ...Object.entries(manifest.actions)
      .filter(([name]) => !fromCapability.has(name))
      .flatMap(([name, action]) =>
        undescribedFields('action/input-description', `actions.${name}.input`, action.input, 'input field'),
      ),
    ...Object.entries(manifest.nodes).flatMap(([name, node]) =>
      undescribedFields('node/config-description', `nodes.${name}.config`, node.config, 'node setting'),
    ),
  ]
}
