import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/http'
import { staleSaveOf, whoSaved } from './conflict'
import { colourOf, initials, isForeignSave, otherEditors, type FlowEditor } from './presence'

const editor = (key: string, userId: string, name = userId): FlowEditor => ({
  key,
  userId,
  name,
  email: `${userId}@x`,
  role: 'admin',
  since: '2026-01-01T00:00:00Z',
})

describe('editors presence', () => {
  it('shows each other person once and leaves me out', () => {
    const all = [editor('s1', 'me'), editor('s2', 'ann'), editor('s3', 'ann'), editor('s4', 'bo')]
    expect(otherEditors(all, { userId: 'me', key: 's1' }).map((e) => e.key)).toEqual(['s2', 's4'])
  })

  it('makes initials for Chinese and Latin names, and stable colours', () => {
    expect(initials('李雷')).toBe('李雷')
    expect(initials('欧阳 娜娜')).toBe('娜娜')
    expect(initials('Ada Lovelace')).toBe('AL')
    expect(initials('bob@example.com')).toBe('B')
    expect(initials('  ')).toBe('?')
    expect(colourOf('u1')).toBe(colourOf('u1'))
  })

  it('notices only saves by someone else that are newer than my revision', () => {
    const saved = { flowId: 'f', rev: 5, at: '', by: { userId: 'ann', email: null, name: 'Ann' } }
    expect(isForeignSave(saved, { userId: 'me' }, 4)).toBe(true)
    expect(isForeignSave(saved, { userId: 'me' }, 5)).toBe(false)
    expect(isForeignSave(saved, { userId: 'ann' }, 4)).toBe(false)
  })
})

describe('stale saves', () => {
  it('reads who and when from a 409 SB_ERR_FLOW_STALE, and nothing from other errors', () => {
    const error = new ApiError(409, 'SB_ERR_FLOW_STALE', 'stale', {
      currentRev: 3,
      yourRev: 2,
      savedAt: '2026-01-01T10:00:00Z',
      savedBy: { userId: 'u', email: 'ann@x', name: 'Ann' },
    })
    const stale = staleSaveOf(error)!
    expect(stale).toEqual({
      currentRev: 3,
      yourRev: 2,
      savedAt: '2026-01-01T10:00:00Z',
      savedBy: { userId: 'u', email: 'ann@x', name: 'Ann' },
    })
    expect(whoSaved(stale)).toBe('Ann')
    expect(whoSaved({ savedBy: { userId: null, email: 'x@y', name: '' } })).toBe('x@y')
    expect(whoSaved({ savedBy: null })).toBeNull()
    expect(staleSaveOf(new ApiError(409, 'SB_ERR_CONFLICT', 'name taken'))).toBeNull()
    expect(staleSaveOf(new ApiError(400, 'SB_ERR_FLOW_INVALID', 'bad'))).toBeNull()
    expect(staleSaveOf(new Error('boom'))).toBeNull()
  })
})
