import { describe, expect, it } from 'vitest'
import { History } from './history'

describe('undo/redo history', () => {
  it('undoes and redoes steps, and a new change drops the redo branch', () => {
    const h = new History('a')
    h.push('b')
    h.push('c')
    expect(h.undo()).toBe('b')
    expect(h.undo()).toBe('a')
    expect(h.canUndo).toBe(false)
    expect(h.redo()).toBe('b')
    h.push('x')
    expect(h.canRedo).toBe(false)
    expect(h.undo()).toBe('b')
  })

  it('coalesces changes with the same key (typing in one field is one step)', () => {
    const h = new History('')
    h.push('h', 'field:text')
    h.push('he', 'field:text')
    h.push('hey', 'field:text')
    h.push('hey!', 'field:other')
    expect(h.undo()).toBe('hey')
    expect(h.undo()).toBe('')
  })

  it('keeps at most `limit` steps and starts over on reset', () => {
    const h = new History(0, 3)
    for (let i = 1; i <= 10; i++) h.push(i)
    let steps = 0
    while (h.canUndo) {
      h.undo()
      steps++
    }
    expect(steps).toBe(3)
    h.reset(42)
    expect([h.present, h.canUndo, h.canRedo]).toEqual([42, false, false])
  })
})
