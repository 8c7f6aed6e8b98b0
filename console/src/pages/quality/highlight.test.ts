import { describe, expect, it } from 'vitest'
import { segmentsOf } from './highlight'

const mark = (hitId: string, start: number, end: number, accepted = true) => ({ hitId, start, end, accepted })
const pieces = (body: string, marks: ReturnType<typeof mark>[]) =>
  segmentsOf(body, marks).map((s) => [s.text, s.marks.map((m) => m.hitId).join('+')])

describe('segmentsOf', () => {
  it('cuts a Chinese message at the hits, keeping the text whole', () => {
    const body = '亲，您自己查一下物流吧，我这边不知道。'
    expect(pieces(body, [mark('a', 2, 6), mark('b', 15, 18)])).toEqual([
      ['亲，', ''],
      ['您自己查', 'a'],
      ['一下物流吧，我这边', ''],
      ['不知道', 'b'],
      ['。', ''],
    ])
  })

  it('marks overlapping hits on the shared piece', () => {
    expect(pieces('abcdefgh', [mark('a', 1, 5), mark('b', 3, 7)])).toEqual([
      ['a', ''],
      ['bc', 'a'],
      ['de', 'a+b'],
      ['fg', 'b'],
      ['h', ''],
    ])
  })

  it('clips marks outside the text and drops empty ones', () => {
    expect(pieces('hello', [mark('a', 3, 99), mark('b', 2, 2), mark('c', -4, 1)])).toEqual([
      ['h', 'c'],
      ['el', ''],
      ['lo', 'a'],
    ])
    expect(pieces('', [mark('a', 0, 3)])).toEqual([])
    expect(pieces('plain', [])).toEqual([['plain', '']])
  })
})
