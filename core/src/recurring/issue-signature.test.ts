import { describe, expect, it } from 'vitest'
import { issueTokens, jaccard, textIssueKey } from './issue-signature.js'
import { mostRepresentative } from './proposal.js'

describe('issue signatures', () => {
  it('finds the same problem in different wording, and not in another problem', () => {
    const a = issueTokens('我的快递怎么还没到？单号 SF123')
    const b = issueTokens('快递还没到，怎么回事')
    const other = issueTokens('发票抬头写错了，能重开吗')
    expect(jaccard(a, b)).toBeGreaterThanOrEqual(0.3)
    expect(jaccard(a, other)).toBeLessThan(0.1)
    expect(jaccard(a, a)).toBe(1)
  })

  it('reads English too (stems), and ignores filler words', () => {
    const a = issueTokens('Where is my parcel? It has not arrived.')
    const b = issueTokens('my parcel still has not arrived')
    expect(jaccard(a, b)).toBeGreaterThan(0.4)
    expect(a).not.toContain('w:my')
    expect(a).not.toContain('w:it')
  })

  it('keys a text issue by its first signature words', () => {
    expect(textIssueKey(['b:快递', 'w:快递'])).toBe('text:b:快递 w:快递')
  })

  it('picks the wording most like the others', () => {
    expect(mostRepresentative(['快递还没到', '我的快递还没到，三天了', '发票开错了'])).toBe('我的快递还没到，三天了')
  })
})
