import { describe, expect, it } from 'vitest'
import { isSwitchboardError } from '../errors/index.js'
import { parseIntentExamplesFile } from './nlu-import-file.js'

function failure(content: string) {
  try {
    parseIntentExamplesFile(content, 'intents.jsonl')
  } catch (error) {
    if (isSwitchboardError(error)) return error as unknown as { message: string; details: unknown[]; status: number }
    throw error
  }
  throw new Error('expected the file to be refused')
}

describe('parseIntentExamplesFile', () => {
  it('reads one {intent, text} per line, skipping blank lines and trimming the text', () => {
    const lines = parseIntentExamplesFile(
      '{"intent":"refund","text":" 我要退款 "}\n\n{"intent":"greeting","text":"你好"}\r\n',
    )
    expect(lines).toEqual([
      { intent: 'refund', text: '我要退款' },
      { intent: 'greeting', text: '你好' },
    ])
  })

  it('refuses the whole file and names every bad line with its number', () => {
    const error = failure(
      [
        '{"intent":"refund","text":"我要退款"}',
        '{"intent":"refund"',
        '{"intent":"退款","text":"钱呢"}',
        '',
        '{"intent":"refund","text":"","extra":1}',
      ].join('\n'),
    )
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/^Invalid intents\.jsonl, nothing imported: line 2: \(line\): not valid JSON/)
    expect(error.message).toContain('line 3: intent:')
    expect(error.message).toContain('line 5: text:')
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'line 2', path: '(line)' }),
        expect.objectContaining({ in: 'line 3', path: 'intent' }),
        expect.objectContaining({ in: 'line 5', path: 'text' }),
        expect.objectContaining({ in: 'line 5', path: 'extra' }),
      ]),
    )
  })

  it('accepts a byte-order mark before the first line', () => {
    expect(parseIntentExamplesFile('\uFEFF{"intent":"greeting","text":"你好"}')).toEqual([
      { intent: 'greeting', text: '你好' },
    ])
  })

  it('refuses a file with nothing in it', () => {
    expect(failure('\n  \n').message).toContain('has no lines to import')
  })

  it('spells out the first five problems and counts the rest', () => {
    const error = failure(Array.from({ length: 8 }, () => 'not json').join('\n'))
    expect(error.message).toContain('(and 3 more)')
    expect(error.details).toHaveLength(8)
  })
})
