import { describe, expect, it } from 'vitest'
import { asEventId } from '../ids'
import { gossipVerdict, REJECT_REASONS, type RejectReason } from './reasons'

const id = asEventId('b')
const rejected = (reason: RejectReason) => gossipVerdict({ status: 'rejected', reason, detail: '' })

describe('gossipVerdict', () => {
  it('accepts new events and forwards equivocation evidence', () => {
    expect(gossipVerdict({ status: 'accepted', id })).toBe('accept')
    expect(rejected('equivocation')).toBe('accept')
  })

  it('ignores duplicates, pending events and transient refusals', () => {
    expect(gossipVerdict({ status: 'duplicate', id })).toBe('ignore')
    expect(gossipVerdict({ status: 'pending', id, missing: [] })).toBe('ignore')
    expect(rejected('clock_ahead')).toBe('ignore')
    expect(rejected('pending_overflow')).toBe('ignore')
  })

  it('rejects every other reason', () => {
    const punished = REJECT_REASONS.filter((r) => !['equivocation', 'clock_ahead', 'pending_overflow'].includes(r))
    expect(punished).toHaveLength(8)
    for (const r of punished) expect(rejected(r), r).toBe('reject')
  })
})
