import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PluginResponse } from '@switchboard/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { readCompletionStream } from '../src/chat-stream.js'
import { createSseParser } from '../src/sse-parser.js'

const dir = join(import.meta.dirname, 'data', 'streams')
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, string>
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.sse'))

/** A small deterministic PRNG (mulberry32), so a failing split can be reproduced from its seed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomSplit(text: string, seed: number): string[] {
  const next = random(seed)
  const pieces: string[] = []
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(next() * 40)
    pieces.push(text.slice(at, at + size))
    at += size
  }
  return pieces
}

function parseAll(pieces: string[]): string[] {
  const sse = createSseParser()
  return [...pieces.flatMap((p) => sse.push(p)), ...sse.end()]
}

function responseOf(pieces: string[]): PluginResponse {
  return {
    status: 200,
    ok: true,
    headers: { 'content-type': 'text/event-stream' },
    text: async () => pieces.join(''),
    json: async () => JSON.parse(pieces.join('')) as unknown,
    async *chunks() {
      yield* pieces
    },
  }
}

describe('createSseParser', () => {
  it('returns the data of each event, skipping comments and other fields', () => {
    const body = ': keep-alive\n\nevent: message\nid: 7\nretry: 1000\ndata: {"a":1}\n\ndata: [DONE]\n\n'
    expect(parseAll([body])).toEqual(['{"a":1}', '[DONE]'])
  })

  it('joins multi-line data with LF and removes one leading space only', () => {
    expect(parseAll(['data: line one\ndata:  line two\ndata:three\n\n'])).toEqual(['line one\n line two\nthree'])
  })

  it('accepts LF, CRLF and CR line endings, and a byte-order mark', () => {
    expect(parseAll(['\ufeffdata: a\r\n\r\ndata: b\r\rdata: c\n\n'])).toEqual(['a', 'b', 'c'])
  })

  it('treats a CRLF split across two chunks as one line break', () => {
    expect(parseAll(['data: a\r', '\n\r', '\ndata: b\r', '', '\n\r\n'])).toEqual(['a', 'b'])
    // were the LF taken for a second line break, the blank line would end the event after "a"
    expect(parseAll(['data: a\r', '\ndata: b\r\n\r\n'])).toEqual(['a\nb'])
  })

  it('delivers an event the server did not close with a blank line when the body ends', () => {
    const sse = createSseParser()
    expect(sse.push('data: {"x":1}\n\ndata: [DONE]')).toEqual(['{"x":1}'])
    expect(sse.end()).toEqual(['[DONE]'])
  })

  for (const file of fixtures) {
    describe(file, () => {
      const body = readFileSync(join(dir, file), 'utf8')
      const whole = parseAll([body])

      it('yields the same events however the body is split: every two-piece split', () => {
        for (let at = 0; at <= body.length; at++) expect(parseAll([body.slice(0, at), body.slice(at)])).toEqual(whole)
      })

      it('yields the same events however the body is split: one character at a time and random pieces', () => {
        expect(parseAll([...body])).toEqual(whole)
        for (let seed = 1; seed <= 50; seed++) expect(parseAll(randomSplit(body, seed))).toEqual(whole)
      })

      it('reads the reply text, reporting it in growing prefixes, for any split', async () => {
        for (let seed = 1; seed <= 20; seed++) {
          const progress: string[] = []
          const result = await readCompletionStream(responseOf(randomSplit(body, seed)), (t) => progress.push(t))
          expect(result.text).toBe(expected[file])
          expect(progress.length).toBeGreaterThanOrEqual(2)
          expect(progress.at(-1)).toBe(expected[file])
          for (let i = 1; i < progress.length; i++) {
            expect(progress[i]!.startsWith(progress[i - 1]!)).toBe(true)
            expect(progress[i]!.length).toBeGreaterThan(progress[i - 1]!.length)
          }
        }
      })
    })
  }
})

describe('readCompletionStream', () => {
  const event = (content: string) => `data: {"choices":[{"delta":{"content":${JSON.stringify(content)}}}]}\n\n`

  it('ends at [DONE] even without a finish_reason', async () => {
    const result = await readCompletionStream(responseOf([event('a'), event('b'), 'data: [DONE]\n\n']), () => {})
    expect(result.text).toBe('ab')
  })

  it('fails, retryable, when the body stops before [DONE] or a finish_reason', async () => {
    await expect(readCompletionStream(responseOf([event('a'), event('b')]), () => {})).rejects.toMatchObject({
      code: 'SB_ERR_LLM_UPSTREAM',
      retryable: true,
    })
  })

  it('fails on an error event in the middle of the stream', async () => {
    const error = 'data: {"error":{"message":"overloaded","type":"server_error","code":null}}\n\n'
    await expect(readCompletionStream(responseOf([event('a'), error]), () => {})).rejects.toMatchObject({
      code: 'SB_ERR_LLM_UPSTREAM',
      message: expect.stringContaining('overloaded'),
    })
  })

  it('fails on an event that is not JSON', async () => {
    await expect(readCompletionStream(responseOf(['data: {oops\n\n']), () => {})).rejects.toMatchObject({
      code: 'SB_ERR_LLM_INVALID_RESPONSE',
    })
  })

  it('stops reading a stream that grows past its bound', async () => {
    const huge: PluginResponse = {
      ...responseOf([]),
      async *chunks() {
        for (let i = 0; i < 10_000; i++) yield `: ${'x'.repeat(1000)}\n`
      },
    }
    await expect(readCompletionStream(huge, () => {})).rejects.toMatchObject({ code: 'SB_ERR_LLM_RESPONSE_TOO_LARGE' })
  })
})
