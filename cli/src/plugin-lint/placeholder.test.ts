import { describe, expect, it } from 'vitest'
import { hasChinese, isPlaceholder } from './placeholder.js'

describe('isPlaceholder', () => {
  it('recognises what scaffolds and hurried authors leave behind', () => {
    for (const text of [
      'TODO: say what it does',
      'TODO：用一句话说明',
      'Description',
      'description.',
      'My plugin',
      'A Switchboard plugin',
      'TBD',
      'Lorem ipsum dolor sit amet',
      '描述',
      '待补充',
      '...',
      '',
    ])
      expect(isPlaceholder(text), text).toBe(true)
  })

  it('accepts real sentences in both languages', () => {
    for (const text of [
      'Finds the nearest store and its opening hours',
      '按城市查找门店',
      'Looks up WooCommerce orders by number or phone',
      'Plugin for WooCommerce orders',
    ])
      expect(isPlaceholder(text), text).toBe(false)
  })

  it('tells Chinese text from text without it', () => {
    expect(hasChinese('门店查询')).toBe(true)
    expect(hasChinese('Store locator')).toBe(false)
  })
})
