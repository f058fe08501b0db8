import { describe, expect, it } from 'vitest'
import { createUiInboxStore } from './ui-inbox'

describe('ui inbox slice', () => {
  it('selecting another item closes an open action form', () => {
    const s = createUiInboxStore()
    s.getState().select('a')
    s.getState().setForm('resolve')
    s.getState().select('a')
    expect(s.getState().form).toBe('resolve')
    s.getState().select('b')
    expect(s.getState().form).toBeNull()
  })

  it('marks escalations read once and reports the new set for persistence', () => {
    const saved: string[][] = []
    const s = createUiInboxStore({ read: ['x'], onRead: (r) => saved.push([...r]) })
    s.getState().markRead('x')
    s.getState().markRead('y')
    expect([...s.getState().read]).toEqual(['x', 'y'])
    expect(saved).toEqual([['x', 'y']])
  })
})
