import type { Localized } from '@switchboard/plugin-sdk'
import { error, warning, type LintFinding, type LintRule } from '../lint-finding.js'
import { hasChinese, isPlaceholder } from '../placeholder.js'

function placeholderFindings(rule: string, where: string, text: Localized, hint: string): LintFinding[] {
  return (['en', 'zh-CN'] as const)
    .filter((language) => isPlaceholder(text[language]))
    .map((language) => error(rule, `${where}.${language}`, `"${text[language]}" is a placeholder; ${hint}`))
}

/** The plugin's title and description: real text in both languages. */
export const pluginTextRules: LintRule = ({ manifest }) => {
  const findings = [
    ...placeholderFindings('manifest/title-placeholder', 'title', manifest.title, 'name the plugin'),
    ...placeholderFindings(
      'manifest/description-placeholder',
      'description',
      manifest.description,
      'say what the plugin lets a contact center do',
    ),
  ]
  const { en, 'zh-CN': zh } = manifest.description
  if (!isPlaceholder(en) && en.trim().length < 20)
    findings.push(
      warning(
        'manifest/description-short',
        'description.en',
        `"${en}" says little; one full sentence helps admins choose`,
      ),
    )
  if (!isPlaceholder(zh) && !hasChinese(zh))
    findings.push(warning('manifest/untranslated', 'description.zh-CN', 'the Chinese description has no Chinese in it'))
  return findings
}

/** Every action and node: a real title and description in both languages. */
export const contributionTextRules: LintRule = ({ manifest }) => [
  ...Object.entries(manifest.actions).flatMap(([name, action]) => [
    ...placeholderFindings('action/title-placeholder', `actions.${name}.title`, action.title, 'name the action'),
    ...placeholderFindings(
      'action/description-placeholder',
      `actions.${name}.description`,
      action.description,
      'say what the action does',
    ),
  ]),
  ...Object.entries(manifest.nodes).flatMap(([name, node]) => [
    ...placeholderFindings('node/title-placeholder', `nodes.${name}.title`, node.title, 'node title'),
    ...placeholderFindings(
      'node/description-placeholder',
      `nodes.${name}.description`,
      node.description,
      'node description',
    ),
  ]),
]
