import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.js'
import { cliEnv, freePort, runCli } from '../support/cli-process.js'

const example = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url))

let db: TestDatabase
let env: Record<string, string>
beforeAll(async () => {
  db = await createTestDatabase()
  env = cliEnv(db, await freePort(), { LOG_LEVEL: 'warn' })
  const init = runCli(
    ['init', '--admin-email', 'boss@shop.cn', '--admin-password', 'a long enough password', '--no-demo'],
    env,
  )
  expect(init.status, init.stderr).toBe(0)
})
afterAll(() => db.drop())

function file(name: string, lines: string[]): string {
  const path = join(db.dataDir, name)
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}
const classify = (text: string) =>
  JSON.parse(runCli(['nlu', 'classify', text, '--json'], env).stdout) as { intent: string | null; ranking: unknown[] }
const search = (text: string) =>
  JSON.parse(runCli(['kb', 'search', text, '--json'], env).stdout) as Array<{ id: string }>

describe('switchboard nlu', () => {
  it('import refuses a file with a bad line, names the line, and imports nothing', () => {
    const bad = file('intents-bad.jsonl', [
      '{"intent":"refund","text":"我要退款"}',
      '{"intent":"refund","text":"退款什么时候到账"}',
      '{"intent":"refund","txt":"钱怎么还没退回来"}',
    ])
    const res = runCli(['nlu', 'import', bad], env)
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(/^switchboard: Invalid intents-bad\.jsonl, nothing imported: line 3: /)
    expect(res.stderr).toContain('line 3: text:')
    expect(res.stderr).toContain('line 3: txt:')
    expect(classify('我要退款')).toEqual({ intent: null, confidence: 0, ranking: [] })
  })

  it('import creates the intents and their examples, and a second run adds nothing', () => {
    const first = runCli(['nlu', 'import', example('nlu/intents.jsonl')], env)
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toBe('Imported intents.jsonl: 10 intent(s) created, 60 example(s) added, 0 already known.\n')
    const again = runCli(['nlu', 'import', example('nlu/intents.jsonl')], env)
    expect(again.stdout).toBe('Imported intents.jsonl: 0 intent(s) created, 0 example(s) added, 60 already known.\n')
  })

  it('classify gives the intent, or none for a message out of scope', () => {
    expect(classify('我的快递怎么还没到').intent).toBe('order_status')
    expect(classify('I want my money back').intent).toBe('refund')
    expect(classify('今天天气怎么样').intent).toBeNull()
    const table = runCli(['nlu', 'classify', '转人工'], env)
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/^Intent: human_agent {2}confidence \d\.\d{3}\n/)
    expect(table.stdout).toContain('human_agent')
  })

  it('a missing file is one clear line, exit code 2', () => {
    const res = runCli(['nlu', 'import', join(db.dataDir, 'nope.jsonl')], env)
    expect(res.status).toBe(2)
    expect(res.stderr).toBe(`switchboard: Cannot read ${join(db.dataDir, 'nope.jsonl')}: no such file\n`)
  })
})

describe('switchboard kb', () => {
  it('import refuses a file with an id given twice or a bad line, and imports nothing', () => {
    const bad = file('faq-bad.jsonl', [
      '{"id":"refund-time","question":"退款多久到账？","answer":"1–3 个工作日。"}',
      'not json',
      '{"id":"refund-time","question":"钱几天退回？","answer":"1–3 个工作日。"}',
    ])
    const res = runCli(['kb', 'import', bad], env)
    expect(res.status).toBe(2)
    expect(res.stderr).toContain('Invalid faq-bad.jsonl, nothing imported: line 2: (line): not valid JSON')
    const dup = file('faq-dup.jsonl', [
      '{"id":"refund-time","question":"退款多久到账？","answer":"1–3 个工作日。"}',
      '{"id":"refund-time","question":"钱几天退回？","answer":"1–3 个工作日。"}',
    ])
    expect(runCli(['kb', 'import', dup], env).stderr).toContain('line 2: id: refund-time is already on line 1')
    expect(search('退款多久到账')).toEqual([])
  })

  it('import creates entries, a second run updates them by id, and search finds paraphrases', () => {
    const first = runCli(['kb', 'import', example('kb/faq.jsonl')], env)
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toBe('Imported faq.jsonl: 22 entry(ies) created, 0 updated.\n')
    expect(runCli(['kb', 'import', example('kb/faq.jsonl')], env).stdout).toBe(
      'Imported faq.jsonl: 0 entry(ies) created, 22 updated.\n',
    )
    expect(search('退款要等几天才到')[0]!.id).toBe('refund-time')
    expect(search('do you ship abroad')[0]!.id).toBe('international-shipping')
    expect(search('你们老板是谁')).toEqual([])
    expect(runCli(['kb', 'search', '你们老板是谁'], env).stdout).toBe('No answer: no entry fits.\n')
  })

  it('both commands are listed in the help', () => {
    const help = runCli(['--help'], env).stdout
    expect(help).toContain('nlu')
    expect(help).toContain('kb')
    for (const args of [
      ['nlu', 'import'],
      ['nlu', 'classify'],
      ['kb', 'import'],
      ['kb', 'search'],
    ])
      expect(runCli([...args, '--help'], env).stdout).toMatch(/^Usage: switchboard/)
  })
})
