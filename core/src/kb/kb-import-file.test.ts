import { describe, expect, it } from 'vitest'
import { parseKbEntriesFile } from './kb-import-file.js'

describe('parseKbEntriesFile', () => {
  it('reads entries with defaults for the optional fields', () => {
    expect(
      parseKbEntriesFile(
        '{"id":"invoice","question":"怎么开发票？","answer":"订单详情页申请。"}\n' +
          '{"id":"refund-time","question":"退款多久到账？","answer":"1–3 天。","tags":["退款"],"variants":["钱几天退回"],"language":"zh-CN"}\n',
      ),
    ).toEqual([
      { id: 'invoice', question: '怎么开发票？', answer: '订单详情页申请。', tags: [], variants: [] },
      {
        id: 'refund-time',
        question: '退款多久到账？',
        answer: '1–3 天。',
        tags: ['退款'],
        variants: ['钱几天退回'],
        language: 'zh-CN',
      },
    ])
  })

  it('refuses the whole file for a bad line or an id given twice, naming the lines', () => {
    expect(() =>
      parseKbEntriesFile('{"id":"a","question":"q","answer":"a"}\n{"id":"b","question":"q"}\n', 'faq.jsonl'),
    ).toThrow(/^Invalid faq\.jsonl, nothing imported: line 2: answer:/)
    expect(() =>
      parseKbEntriesFile(
        '{"id":"a","question":"q","answer":"a"}\n{"id":"b","question":"q","answer":"a"}\n{"id":"a","question":"q2","answer":"a2"}',
        'faq.jsonl',
      ),
    ).toThrow('line 3: id: a is already on line 1')
    expect(() => parseKbEntriesFile('{"id":"has space","question":"q","answer":"a","tags":"x"}')).toThrow(
      /line 1: id: .*; line 1: tags:/,
    )
  })
})
