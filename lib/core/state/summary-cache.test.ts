import { describe, expect, it, vi } from 'vitest'
import * as summaryModule from '../log/summary'
import { replicaRoom } from '../testing/replica'
import { AUTH_API } from '../testing/tasks'

vi.mock('../log/summary', async (importOriginal) => {
  const m = await importOriginal<typeof import('../log/summary')>()
  return { ...m, authorSummary: vi.fn(m.authorSummary) }
})

describe('Replica.summary', () => {
  it('computes nothing again between changes, however many rounds read it, and after a change only the author who changed', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    await room.member('bob', 'agent')
    const entries = vi.mocked(summaryModule.authorSummary)
    entries.mockClear()
    const first = room.replica.summary()
    const authors = room.replica.log.authors().length
    expect(authors).toBeGreaterThanOrEqual(3)
    expect(entries).toHaveBeenCalledTimes(authors)
    const behind = { root: 'elsewhere', authors: [] }
    // Rounds between two changes: each reads the summary and what the other side lacks.
    for (let i = 0; i < 5; i++) {
      expect(room.replica.summary()).toBe(first)
      expect(room.replica.missingFrom(behind).length).toBe(room.replica.log.size)
    }
    expect(entries).toHaveBeenCalledTimes(authors)
    await room.replica.author(ann, 'task.claimed', AUTH_API)
    entries.mockClear()
    const after = room.replica.summary()
    expect(entries).toHaveBeenCalledTimes(1)
    expect(entries).toHaveBeenCalledWith(room.replica.log, ann.peerId)
    expect(after.root).not.toBe(first.root)
    expect(after).toEqual(summaryModule.summarize(room.replica.log))
  })
})
