import { describe, expect, it } from 'vitest'
import { runEventStoreContract, record } from './event-store.contract'
import { createMemoryStore } from './memory-store'

runEventStoreContract('memory', () => ({ open: async () => createMemoryStore() }), { persistent: false })

describe('memory store', () => {
  it('copies bytes in, so a caller mutating its buffer after putMany changes nothing stored', async () => {
    const store = createMemoryStore()
    const bytes = new Uint8Array([1, 2, 3])
    await store.putMany('r', [record('a', 1, { bytes })])
    bytes[0] = 99
    expect((await store.get('r', 'a'))?.bytes).toEqual(new Uint8Array([1, 2, 3]))
  })
})
