/** Types for schema-engine.js (development-time glue around @prisma/schema-engine-wasm). */
export const coreDir: string
export const providers: Record<'sqlite' | 'postgresql', { schema: string; migrations: string }>
export function openEngine(
  provider: 'sqlite' | 'postgresql',
  url: string,
): Promise<{ pendingSchemaChange(): Promise<string>; close(): Promise<void> }>
