import type { ExecutionContext } from '../runtime/execution-context.js'
import type { LocalizedText } from './define-node-type.js'

/** The text in the run's language (vars.language, e.g. "en" or "zh-CN"), rendered as a template. */
export async function say(ctx: ExecutionContext<unknown>, text: LocalizedText): Promise<string> {
  if (typeof text === 'string') return ctx.render(text)
  const language = typeof ctx.vars.language === 'string' ? ctx.vars.language : 'zh-CN'
  const chosen = language.startsWith('en') ? (text.en ?? text['zh-CN']) : (text['zh-CN'] ?? text.en)
  return ctx.render(chosen ?? '')
}
