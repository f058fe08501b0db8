import { describe, expect, it } from 'vitest'
import { DEFAULT_ROOM_CONFIG } from '@/lib/core/events/kinds/room'
import { fieldsOf, patchFrom } from './config-form'

describe('room configuration form', () => {
  it('sends only the fields that changed, with minutes turned into milliseconds', () => {
    const f = fieldsOf(DEFAULT_ROOM_CONFIG)
    expect(f.maxSessionDurationMs).toBe('30')
    expect(patchFrom(DEFAULT_ROOM_CONFIG, f)).toEqual({ ok: true, patch: {} })
    expect(patchFrom(DEFAULT_ROOM_CONFIG, { ...f, maxSessionDurationMs: '45', approvalQuorum: 'two-thirds' })).toEqual({
      ok: true,
      patch: { maxSessionDurationMs: 45 * 60_000, approvalQuorum: 'two-thirds' },
    })
  })

  it('names the field that is out of range or not a number', () => {
    const r = patchFrom(DEFAULT_ROOM_CONFIG, { ...fieldsOf(DEFAULT_ROOM_CONFIG), maxParticipants: '1', escalationThreshold: 'ten' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['escalationThreshold', 'maxParticipants'])
  })
})
