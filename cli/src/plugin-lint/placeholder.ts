/** Texts a scaffold or a hurried author leaves behind instead of saying something. */
const placeholders = [
  /\bTODO\b/i,
  /\bTBD\b/i,
  /\bFIXME\b/i,
  /\bXXX\b/,
  /lorem ipsum/i,
  /^\s*(a |my |the )?(switchboard )?(plugin|integration|channel|description|title|name|text|test|example|sample|untitled)\s*\.?\s*$/i,
  /^\s*(描述|说明|标题|名称|插件|示例|测试|待定|无)\s*$/,
  /待(填写|补充|完善|定)/,
  /^[\s.…?-]*$/,
]

/** True when a text shown to people is a placeholder (TODO, "Description", "描述", empty…). */
export function isPlaceholder(text: string): boolean {
  return placeholders.some((pattern) => pattern.test(text))
}

/** True when a text has Chinese characters. */
export function hasChinese(text: string): boolean {
  return /[\u3400-\u9fff]/u.test(text)
}
