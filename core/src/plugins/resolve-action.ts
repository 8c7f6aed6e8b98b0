import { capabilities } from '@switchboard/plugin-sdk'

export type ActionTarget =
  { kind: 'capability'; capability: string; method: string } | { kind: 'plugin'; plugin: string; action: string }

const aliases = new Map(
  Object.entries(capabilities).map(([name, capability]) => [capability.alias as string, name] as const),
)

/**
 * `erp.getOrder` names a capability method, served by whichever enabled plugin implements
 * `erp-orders`; `erp-woocommerce.getOrder` names one plugin's action. Flows and the console use
 * the first form, so they depend on the interface and not on a vendor.
 */
export function resolveActionRef(ref: string): ActionTarget | null {
  const dot = ref.lastIndexOf('.')
  if (dot <= 0 || dot === ref.length - 1) return null
  const prefix = ref.slice(0, dot)
  const name = ref.slice(dot + 1)
  const capability = aliases.get(prefix)
  if (capability) return { kind: 'capability', capability, method: name }
  return { kind: 'plugin', plugin: prefix, action: name }
}
