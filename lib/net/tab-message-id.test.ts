import type { Message } from '@libp2p/gossipsub'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { meshMessageId } from './message-id'
import { tabMessageIds } from './tab-message-id'
import { discoveryTopic, eventsTopic, presenceTopic } from './topics'
import { wasmSha256 } from './wasm-sha256'

const msg = (topic: string, data: Uint8Array) => ({ type: 'unsigned', topic, data }) as Message

describe('tabMessageIds', () => {
  it('gives the ids meshMessageId gives, on every topic, at any moment', async () => {
    const wasm = await wasmSha256()
    if (!wasm) throw new Error('no WebAssembly')
    const topics = [eventsTopic('bafy-room'), discoveryTopic('bafy-room'), presenceTopic('bafy-room'), '/some/other/topic']
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...topics), fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 2 ** 42 }), async (topic, data, at) => {
        const tab = tabMessageIds(wasm, () => at).msgIdFn(msg(topic, data))
        const mesh = await meshMessageId(() => at)(msg(topic, data))
        expect(Buffer.from(tab).equals(Buffer.from(mesh))).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it("hands the log the message id's digest for the same bytes instead of hashing them again", async () => {
    const wasm = await wasmSha256()
    if (!wasm) throw new Error('no WebAssembly')
    let hashed = 0
    const counted = (b: Uint8Array) => (hashed++, wasm(b))
    const ids = tabMessageIds(counted, () => 0)
    const event = Uint8Array.from({ length: 1000 }, (_, i) => i & 255)
    const id = ids.msgIdFn(msg(eventsTopic('bafy-room'), event))
    expect(hashed).toBe(1)
    expect(ids.sha256(event)).toBe(id)
    expect(hashed).toBe(1)
    // Equal bytes in another array, and the bytes of a message on a local-id topic, are hashed.
    expect(Buffer.from(ids.sha256(event.slice())).equals(Buffer.from(id))).toBe(true)
    const beat = Uint8Array.of(1, 2, 3)
    ids.msgIdFn(msg(presenceTopic('bafy-room'), beat))
    ids.sha256(beat)
    expect(hashed).toBe(4)
  })
})
