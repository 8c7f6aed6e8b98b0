import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { describeSettings } from '../../core/src/index.js'
import { configurationDocPath, renderConfigurationDoc } from '../../scripts/gen-config-docs.mjs'

describe('docs/configuration.md', () => {
  it('is what scripts/gen-config-docs.mjs renders from the settings in core/src/config', () => {
    const committed = readFileSync(configurationDocPath, 'utf8')
    expect(
      committed,
      'docs/configuration.md is out of date: run `npm run build && node scripts/gen-config-docs.mjs`',
    ).toBe(renderConfigurationDoc(describeSettings()))
  })

  it('lists every setting with its environment variable', () => {
    const committed = readFileSync(configurationDocPath, 'utf8')
    for (const setting of describeSettings()) {
      expect(committed).toContain(`| \`${setting.key}\``)
      expect(committed).toContain(`\`${setting.env}\``)
    }
  })
})
