import { describe, expect, it, vi } from 'vitest'
import * as summaryModule from '../log/summary'
import { replicaRoom } from '../testing/replica'
import { AUTH_API } from '../testing/tasks'

vi.mock('../log/summary', async (importOriginal) => {
  const m = await importOriginal<typeof import('../log/summary')>()
  return { ...m, summarize: vi.fn(m.summarize) }
})

describe('Replica.summary', () => {
  it('is computed once per change of the stored set, however many rounds read it', async () => {
    const room = await replicaRoom()
    const ann = await room.member('ann', 'agent')
    const counted = vi.mocked(summaryModule.summarize)
    counted.mockClear()
    const behind = { root: 'elsewhere', authors: [] }
    // Rounds between two changes: each reads the summary and what the other side lacks.
    for (let i = 0; i < 5; i++) {
      room.replica.summary()
      expect(room.replica.missingFrom(behind).length).toBe(room.replica.log.size)
    }
    expect(counted).toHaveBeenCalledTimes(1)
    const before = room.replica.summary().root
    await room.replica.author(ann, 'task.claimed', AUTH_API)
    const after = room.replica.summary()
    expect(after.root).not.toBe(before)
    expect(after).toEqual(summaryModule.summarize(room.replica.log))
    expect(counted).toHaveBeenCalledTimes(3)
  })
})
