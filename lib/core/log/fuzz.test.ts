/** Remote input never throws out of add, and no tampered event is ever stored. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { testVerifier } from '../testing/ed25519'
import { fixtureHistory } from '../testing/fixture-history'
import { T0 } from '../testing/room'
import { EventLog } from './log'

describe('add under tampering', () => {
  it('rejects every single-bit flip of a valid event and never throws', async () => {
    const events = await fixtureHistory()
    const log = new EventLog({ room: events[0].id, verifier: testVerifier, now: () => T0 + 3600_000 })
    for (const e of events) await log.add(e.bytes)
    const size = log.size
    await fc.assert(
      fc.asyncProperty(fc.nat(events.length - 1), fc.nat(), fc.nat(7), async (i, at, bit) => {
        const bytes = events[i].bytes.slice()
        bytes[at % bytes.length] ^= 1 << bit
        const r = await log.add(bytes)
        expect(r.status).toBe('rejected')
        expect(log.size).toBe(size)
      }),
      { numRuns: 150 },
    )
  }, 60_000)

  it('survives arbitrary bytes', async () => {
    const events = await fixtureHistory()
    const log = new EventLog({ room: events[0].id, verifier: testVerifier })
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect((await log.add(bytes)).status).toBe('rejected')
      }),
      { numRuns: 300 },
    )
  })
})
