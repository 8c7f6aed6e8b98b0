import { readFileSync } from 'node:fs'

/** The version of @switchboard/core (from its package.json, in src and dist alike). */
export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version
