import { describe, expect, it } from 'vitest'
import { mergeArrivals, type Arrival } from './use-arrivals'

const a = (id: string, session: string, title = 'approval requested'): Arrival => ({ id, session, title, text: `tasks of ${session}` })

describe('arrival toasts', () => {
  it('show one toast per session and kind: a second request of the same session replaces the first', () => {
    expect(mergeArrivals([a('e1', 's1')], [a('e2', 's1')]).map((x) => x.id)).toEqual(['e2'])
    // Both agents' requests arriving in one fold: one toast.
    expect(mergeArrivals([], [a('e1', 's1'), a('e2', 's1')]).map((x) => x.id)).toEqual(['e1'])
    // Another session, or another kind of request on the same session, is its own toast.
    expect(mergeArrivals([a('e1', 's1')], [a('e3', 's2'), a('e4', 's1', 'message limit')]).map((x) => x.id)).toEqual(['e1', 'e3', 'e4'])
    // At most three, the newest kept.
    expect(mergeArrivals([a('e1', 's1'), a('e2', 's2'), a('e3', 's3')], [a('e4', 's4')]).map((x) => x.id)).toEqual(['e2', 'e3', 'e4'])
  })
})
