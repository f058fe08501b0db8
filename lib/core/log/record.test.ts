import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeEvent } from '../events/codec'
import type { EncodedEvent } from '../events/envelope'
import { testSigner } from '../testing/ed25519'
import { join, makeRoom, T0 } from '../testing/room'
import { ByteArena } from './arena'
import { authorEvent } from './author'
import { settle, storedRecord } from './record'

const agent = testSigner('agent-a')

/** What a plain decode of the same bytes gives: the reference every read must equal. */
const plain = (enc: EncodedEvent) => {
  const d = decodeEvent(enc.bytes)
  if (!d.ok) throw new Error(d.reason)
  return d.value.event
}

const text = fc.string({ unit: 'grapheme', maxLength: 60 })

describe('stored records', () => {
  it('read back byte for byte and field for field as the event that was added, whatever its payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('task.claimed', 'task.released', 'task.completed'), text, text), { minLength: 1, maxLength: 6 }), async (writes) => {
        const room = await makeRoom({ open: true })
        await join(room, agent, 'agent')
        const added: EncodedEvent[] = []
        for (const [kind, a, b] of writes) {
          const t = room.clock.now()
          if (kind === 'task.claimed') added.push(await authorEvent(room.log, agent, kind, { taskId: `t-${added.length}`, projectId: 'p', repository: `r/${a}`, title: b || 'x', description: a }, t))
          else if (kind === 'task.completed') added.push(await authorEvent(room.log, agent, kind, { taskId: `t-${added.length}`, note: a }, t))
          else added.push(await authorEvent(room.log, agent, 'task.released', { taskId: `t-${added.length}`, reason: b }, t))
        }
        for (const enc of [room.genesis, ...added]) {
          const stored = room.log.get(enc.id)!
          expect(stored.bytes).toEqual(enc.bytes)
          expect(stored.event).toEqual(plain(enc))
          // Spread, JSON and structured clone (IndexedDB, postMessage) see the same fields.
          expect({ ...stored.event }).toEqual(plain(enc))
          expect(JSON.parse(JSON.stringify(stored.event))).toEqual(JSON.parse(JSON.stringify(plain(enc))))
          expect(structuredClone(stored.event)).toEqual(plain(enc))
        }
      }),
      { numRuns: 40 },
    )
  })

  it('keeps the bytes whole when the header does not write them back exactly', async () => {
    const room = await makeRoom({ open: true })
    const joined = await join(room, agent, 'agent')
    const enc = await authorEvent(room.log, agent, 'task.claimed', { taskId: 't', projectId: 'p', repository: 'r', title: 'Ünïcode title', description: '' }, T0)
    const e = enc.event
    // A header that differs from the bytes (another time): the layout cannot reproduce them.
    const record = storedRecord({ ...enc, event: { ...e, time: e.time + 1 } }, { room: e.room, author: e.author, prev: e.prev, deps: e.deps }, 'agent', new ByteArena())
    settle(record)
    expect(record.bytes).toEqual(enc.bytes)
    expect(record.event.payload).toEqual(e.payload)
    expect(record.event.sig).toEqual(e.sig)
    expect(joined.id).not.toBe(enc.id)
  })
})
