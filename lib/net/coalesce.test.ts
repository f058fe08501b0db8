/**
 * When a hub's coalesced writes leave: at the end of the task that made them (microtasks
 * included), not on a later turn of the event loop behind other tasks.
 */
import type { GossipSub } from '@libp2p/gossipsub'
import { describe, expect, it } from 'vitest'
import { coalesceSends } from './coalesce'

/** A stand-in for gossipsub's outbound-stream map and one stream in it that records its writes. */
function hub() {
  const writes: Uint8Array[] = []
  const streamsOutbound = new Map<string, { pushPrefixed(data: Uint8Array): void }>()
  coalesceSends({ streamsOutbound } as unknown as GossipSub)
  streamsOutbound.set('peer', { pushPrefixed: (d) => void writes.push(d) })
  const stream = streamsOutbound.get('peer')!
  return { writes, send: (bytes: number[]) => stream.pushPrefixed(new Uint8Array(bytes)) }
}

describe('coalesced sends', () => {
  it("leave when the task that made them ends, before a task queued ahead of them runs", async () => {
    const { writes, send } = hub()
    const seen: number[] = []
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        // Another task already waiting for the next turn, as a busy hub's other peers' slices do.
        setImmediate(() => {
          seen.push(writes.length)
          resolve()
        })
        send([1])
        // Forwards made in this task's microtasks (validators resuming after a write) join the same write.
        void Promise.resolve().then(() => send([2, 3]))
      })
    })
    expect(seen).toEqual([1])
    expect(writes.map((w) => [...w])).toEqual([[1, 2, 3]])
  })

  it('makes one write per task, in order, and none for a task that sent nothing', async () => {
    const { writes, send } = hub()
    for (let task = 0; task < 3; task++) {
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          for (let i = 0; i < 100; i++) send([task, i])
          resolve()
        }),
      )
    }
    await new Promise((r) => setImmediate(r))
    expect(writes).toHaveLength(3)
    expect(writes.map((w) => [w[0], w[1], w[w.length - 1]])).toEqual([[0, 0, 99], [1, 0, 99], [2, 0, 99]])
    expect(writes.every((w) => w.length === 200)).toBe(true)
  })
})
