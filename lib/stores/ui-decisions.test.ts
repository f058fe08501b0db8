import { afterEach, describe, expect, it, vi } from 'vitest'
import { createUiDecisionsStore } from './ui-decisions'

afterEach(() => vi.useRealTimers())

describe('pending decisions', () => {
  it('send nothing during the undo window, nothing at all when undone, and once when the window ends', async () => {
    vi.useFakeTimers()
    const s = createUiDecisionsStore()
    const sent: string[] = []
    const a = s.getState().schedule({ session: 'x', label: 'approve x', send: async () => (sent.push('x'), null) }, 1000)
    const b = s.getState().schedule({ session: 'y', label: 'resolve y', send: async () => (sent.push('y'), null) }, 1000)
    await vi.advanceTimersByTimeAsync(500)
    expect(sent).toEqual([])
    s.getState().undo(b)
    await vi.advanceTimersByTimeAsync(600)
    expect(sent).toEqual(['x'])
    expect(s.getState().pending).toEqual([])
    expect(s.getState().notices).toEqual([{ id: a, label: 'approve x', error: null }])
    await vi.advanceTimersByTimeAsync(5000)
    expect(sent).toEqual(['x'])
  })

  it('send now skips the window; a refusal becomes a notice with the reason', async () => {
    const s = createUiDecisionsStore()
    const id = s.getState().schedule({ session: 'x', label: 'resolve x', send: async () => 'Refused: the session is resolved' }, 60_000)
    await s.getState().sendNow(id)
    expect(s.getState().pending).toEqual([])
    expect(s.getState().notices).toEqual([{ id, label: 'resolve x', error: 'Refused: the session is resolved' }])
  })
})
