import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../core/src/index.js'

const errorsDoc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
const headings = new Set([...errorsDoc.matchAll(/^#{2,4} `([A-Z0-9_]+)`$/gm)].map((m) => m[1]!))

describe('docs/errors.md', () => {
  it.each(Object.values(ErrorCode))('has a section for %s', (code) => {
    expect(headings.has(code), `add a section "### \`${code}\`" to docs/errors.md`).toBe(true)
  })

  it('documents no code that the code base does not define', () => {
    const defined = new Set<string>(Object.values(ErrorCode))
    expect([...headings].filter((code) => !defined.has(code))).toEqual([])
  })
})
