// no imports: the core's tests read these templates too (test/flows/flow-problem-messages.test.ts)
type Locale = 'en' | 'zh-CN'

/** A problem as the core's validator sends it (graph/problems.ts FlowProblem, with its params). */
interface ProblemLike {
  code: string
  message: string
  params?: Record<string, string | number>
}

/**
 * The validator's problems in the builder's language. The core sends each problem with a `code`,
 * an English `message` (for the API) and the `params` the message is built from; the builder
 * says the same from `code` + `params` in zh-CN or English, and falls back to the core's message
 * for a code it does not know (a newer core) or a problem without params.
 *
 * A few codes say different things depending on `params.reason` (invalid-config): those have a
 * template per reason as `<code>/<reason>`, and the plain `<code>` one for the rest.
 */
export const problemMessages: Record<Locale, Record<string, string>> = {
  en: {
    document: '{path}: {detail}',
    'duplicate-node': 'node id "{nodeId}" is used twice',
    'unknown-node-type': 'node "{label}" has unknown type "{type}"',
    'invalid-config': 'setting "{field}": {detail}',
    'invalid-config/whole': 'settings of "{label}": {detail}',
    'invalid-config/missing-setting': 'missing setting "{setting}"',
    'invalid-config/unknown-setting': 'unknown setting "{setting}"',
    'invalid-expression': 'the expression in "{field}" is not valid: {error}',
    'no-start': 'the flow has no start node',
    'several-starts': 'node "{label}" is a second start node; a flow has exactly one',
    'dangling-edge': 'connection {edge} ({from} → {to}) leads to unknown node "{missing}"',
    'unknown-port': 'node "{label}" ({type}) has no output "{port}" (outputs: {ports})',
    'duplicate-edge': 'output "{port}" of node "{label}" is connected twice (connections {first} and {edge})',
    'missing-port': 'output "{port}" of node "{label}" must be connected',
    unreachable: 'node "{label}" cannot be reached from the start',
  },
  'zh-CN': {
    document: '{path}：{detail}',
    'duplicate-node': '节点 ID“{nodeId}”重复使用了两次',
    'unknown-node-type': '节点“{label}”的类型“{type}”不存在',
    'invalid-config': '设置“{field}”不正确：{detail}',
    'invalid-config/whole': '节点“{label}”的设置不正确：{detail}',
    'invalid-config/missing-setting': '缺少设置“{setting}”',
    'invalid-config/unknown-setting': '未知的设置“{setting}”',
    'invalid-expression': '“{field}”中的表达式有误：{error}',
    'no-start': '流程没有开始节点',
    'several-starts': '节点“{label}”是第二个开始节点，一个流程只能有一个开始节点',
    'dangling-edge': '连线 {edge}（{from} → {to}）连到了不存在的节点“{missing}”',
    'unknown-port': '节点“{label}”（{type}）没有出口“{port}”（现有出口：{ports}）',
    'duplicate-edge': '节点“{label}”的出口“{port}”连了两次（连线 {first} 和 {edge}）',
    'missing-port': '节点“{label}”的出口“{port}”必须连接',
    unreachable: '从开始节点无法到达节点“{label}”',
  },
}

/** The template key a problem is said with: `<code>/<reason>` where there is one, else `<code>`. */
export function templateKeyOf(problem: Pick<ProblemLike, 'code' | 'params'>): string {
  const params = problem.params ?? {}
  if (problem.code === 'invalid-config') {
    if (params.reason === 'missing-setting' || params.reason === 'unknown-setting')
      return `invalid-config/${params.reason}`
    if (!params.field) return 'invalid-config/whole'
  }
  return problem.code
}

/** The placeholders (`{name}`) a template uses. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
}

/**
 * The problem in this language; the core's English message when the code is unknown here or a
 * placeholder has no value.
 */
export function problemText(locale: Locale, problem: ProblemLike): string {
  const template = problemMessages[locale][templateKeyOf(problem)]
  const params = problem.params
  if (!template || !params || placeholdersOf(template).some((name) => params[name] === undefined))
    return problem.message.replace(/^node "[^"]+"( \([^)]*\))?:\s*/, '')
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]))
}
