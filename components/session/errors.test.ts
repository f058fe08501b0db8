import { describe, expect, it } from 'vitest'
import { EventRejectedError } from '@/lib/core/log/reasons'
import { describeError } from './errors'

describe('describeError', () => {
  it('says why the room refused an action, in words', () => {
    expect(describeError(new EventRejectedError('role_not_allowed', 'observer may not author plan.approved'))).toBe(
      'Refused: your role is not allowed to do this (role_not_allowed: observer may not author plan.approved)',
    )
    expect(describeError(new EventRejectedError('clock_ahead', '90 s'))).toMatch(/clock is ahead/)
    expect(describeError(new Error('socket closed'))).toBe('Failed: socket closed')
  })
})
