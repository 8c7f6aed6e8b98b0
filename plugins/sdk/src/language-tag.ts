/**
 * BCP 47 language tags (RFC 5646), as channels report a customer's language: `en`, `zh-CN`,
 * `pt-BR`, `zh-Hant-TW`. Well-formedness only (the subtags' shapes, not the registry), and the
 * conventional case. No schema library: handler code in the sandbox may use these too.
 */
const WELL_FORMED =
  /^[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$/i

/** The longest tag taken; real ones are far shorter (RFC 5646 asks for room for 35 characters). */
export const MAX_LANGUAGE_TAG_LENGTH = 64

/**
 * Whether `value` is a well-formed BCP 47 language tag.
 *
 * @example isLanguageTag('zh-CN') // true; isLanguageTag('zh_CN') // false
 */
export function isLanguageTag(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_LANGUAGE_TAG_LENGTH && WELL_FORMED.test(value)
}

/**
 * A well-formed tag in its conventional case: language lower-case, script title-case, region
 * upper-case, the rest lower-case.
 *
 * @example canonicalLanguageTag('ZH-hant-tw') // 'zh-Hant-TW'
 */
export function canonicalLanguageTag(tag: string): string {
  let afterSingleton = false
  return tag
    .split('-')
    .map((subtag, i) => {
      const lower = subtag.toLowerCase()
      if (i === 0 || afterSingleton) return lower
      if (subtag.length === 1) {
        afterSingleton = true
        return lower
      }
      if (subtag.length === 4 && /^[a-z]+$/i.test(subtag)) return lower[0]!.toUpperCase() + lower.slice(1)
      if (subtag.length === 2) return subtag.toUpperCase()
      return lower
    })
    .join('-')
}
