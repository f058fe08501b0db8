import { describe, expect, it } from 'vitest'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import { asEventId } from '../core/ids'
import { REJECT_REASONS } from '../core/log/reasons'
import { validatorResult } from './event-gossip'

const id = asEventId('bafy')

describe('gossip verdicts', () => {
  it('forwards new events and equivocation evidence, drops duplicates and orphans quietly', () => {
    expect(validatorResult({ status: 'accepted', id })).toBe(TopicValidatorResult.Accept)
    expect(validatorResult({ status: 'rejected', reason: 'equivocation', detail: '', id })).toBe(TopicValidatorResult.Accept)
    expect(validatorResult({ status: 'duplicate', id })).toBe(TopicValidatorResult.Ignore)
    expect(validatorResult({ status: 'pending', id, missing: [] })).toBe(TopicValidatorResult.Ignore)
  })

  it('punishes the sender for events that can never be valid, but not for our own limits or clock', () => {
    const ignored = new Set(['equivocation', 'pending_overflow', 'clock_ahead'])
    for (const reason of REJECT_REASONS) {
      if (ignored.has(reason)) continue
      expect(validatorResult({ status: 'rejected', reason, detail: '' }), reason).toBe(TopicValidatorResult.Reject)
    }
    expect(validatorResult({ status: 'rejected', reason: 'pending_overflow', detail: '' })).toBe(TopicValidatorResult.Ignore)
    expect(validatorResult({ status: 'rejected', reason: 'clock_ahead', detail: '' })).toBe(TopicValidatorResult.Ignore)
  })
})
