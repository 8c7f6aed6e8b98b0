import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { flowFileSchema } from './flows-service.js'

/** The example flows shipped with Switchboard (examples/flows/*.json), offered as templates. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../../examples/flows/', import.meta.url))

export interface FlowTemplate {
  /** the file name without .json, e.g. order-status */
  id: string
  name: string
  kind: string
  description: string
  nodeCount: number
  document: unknown
}

/**
 * The templates, by file name. A file that is not a flow file is left out (and logged by nobody:
 * the examples are checked by their own tests); a missing directory means no templates.
 */
export async function listFlowTemplates(dir: string = TEMPLATES_DIR): Promise<FlowTemplate[]> {
  const files = await readdir(dir).catch(() => [] as string[])
  const templates: FlowTemplate[] = []
  for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(join(dir, file), 'utf8'))
    } catch {
      continue
    }
    const parsed = flowFileSchema.safeParse(raw)
    if (!parsed.success) continue
    const { name, kind, description, document } = parsed.data
    const nodes = (document as { nodes?: unknown[] } | null)?.nodes
    templates.push({
      id: file.slice(0, -'.json'.length),
      name,
      kind,
      description,
      nodeCount: Array.isArray(nodes) ? nodes.length : 0,
      document,
    })
  }
  return templates
}
