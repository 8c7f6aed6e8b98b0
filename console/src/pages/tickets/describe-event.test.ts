import { describe, expect, it } from 'vitest'
import { describeEvent } from './describe-event'

describe('ticket history lines', () => {
  it('reads an escalation’s from/to with the names it kept, and its reason', () => {
    const e = describeEvent('escalated', {
      from: {
        tier: 'L1',
        teamId: 't1',
        assigneeId: 'u1',
        priority: 'normal',
        teamName: 'L1 support',
        assigneeName: 'Li Na',
      },
      to: { tier: 'L2', teamId: 't2', assigneeId: null, priority: 'normal', teamName: 'L2 experts' },
      reason: 'Needs a refund over the L1 limit',
      trigger: 'manual',
    })
    expect(e.tone).toBe('warning')
    expect(e.headline).toBe('escalated')
    expect(e.changes).toEqual([
      { field: 'tier', from: 'L1', to: 'L2' },
      { field: 'teamId', from: 't1', to: 't2', fromLabel: 'L1 support', toLabel: 'L2 experts' },
      { field: 'assigneeId', from: 'u1', to: null, fromLabel: 'Li Na' },
    ])
    expect(e.reason).toBe('Needs a refund over the L1 limit')
  })

  it('reads {changes: {field: {from, to}}} and leaves unchanged owner fields out', () => {
    expect(describeEvent('updated', { changes: { status: { from: 'open', to: 'pending' } } }).changes).toEqual([
      { field: 'status', from: 'open', to: 'pending' },
    ])
    expect(describeEvent('escalated', { from: { tier: 'L2' }, to: { tier: 'L2', priority: 'high' } }).changes).toEqual([
      { field: 'priority', from: null, to: 'high' },
    ])
  })

  it('reads a reopening as a status change back to open', () => {
    expect(describeEvent('reopened', { reason: 'customer came back', from: 'resolved' })).toMatchObject({
      changes: [{ field: 'status', from: 'resolved', to: 'open' }],
      reason: 'customer came back',
    })
  })

  it('picks out merges, splits, SLA metrics, survey scores and callback outcomes', () => {
    expect(describeEvent('merged', { intoId: 42 })).toMatchObject({ headline: 'mergedInto', otherTicket: 42 })
    expect(describeEvent('merged', { fromId: 7 })).toMatchObject({ headline: 'mergedFrom', otherTicket: 7 })
    expect(describeEvent('split', { newTicketId: 9 })).toMatchObject({ headline: 'splitOff', otherTicket: 9 })
    expect(describeEvent('created', { source: 'split', splitFrom: 3 })).toMatchObject({
      headline: 'createdSplit',
      otherTicket: 3,
    })
    expect(describeEvent('sla.warning', {}).headline).toBe('sla_warning')
    expect(describeEvent('sla.breached', { metric: 'first_response' })).toMatchObject({
      tone: 'danger',
      metric: 'first_response',
    })
    expect(describeEvent('survey', { kind: 'csat', score: 1, comment: '太慢了', low: true })).toMatchObject({
      tone: 'danger',
      score: 1,
      scale: 'csat',
      reason: '太慢了',
    })
    expect(describeEvent('survey', { kind: 'nps', score: 9, low: false }).tone).toBe('success')
    expect(describeEvent('callback', { outcome: 'no-answer' }).outcome).toBe('no-answer')
    // nothing usable: still a line
    expect(describeEvent('something-new', null)).toMatchObject({ icon: 'history', changes: [], reason: null })
  })
})
