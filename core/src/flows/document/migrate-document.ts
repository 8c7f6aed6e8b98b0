import { CURRENT_SCHEMA_VERSION } from './flow-document.js'

/**
 * Forward migrations of stored flow documents, one small named function per format change
 * (STYLE.md absorb #8). A document is migrated when it is read; stored versions are never
 * rewritten, so a published version keeps running exactly as it was frozen.
 */
type Migration = {
  from: number
  to: number
  name: string
  migrate(doc: Record<string, unknown>): Record<string, unknown>
}

const migrations: Migration[] = [
  {
    // documents written before schemaVersion existed (the 0.1 demo draft) had the same shape
    from: 0,
    to: 1,
    name: 'add-schema-version',
    migrate: (doc) => ({ ...doc, schemaVersion: 1 }),
  },
]

export function migrateFlowDocument(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input
  let doc = input as Record<string, unknown>
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0
  while (version < CURRENT_SCHEMA_VERSION) {
    const step = migrations.find((m) => m.from === version)
    if (!step) break
    doc = step.migrate(doc)
    version = step.to
  }
  return doc
}
