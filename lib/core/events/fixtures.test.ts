/**
 * Frozen v1 fixtures: bytes and ids of one event of every kind, generated once by
 * testing/fixture-history.ts and never regenerated for v1. If these fail, a shipped format
 * changed: add a new version instead of editing v1.
 */
import { hexToBytes } from '@noble/hashes/utils.js'
import { describe, expect, it } from 'vitest'
import { asEventId } from '../ids'
import { EventLog } from '../log/log'
import { testVerifier } from '../testing/ed25519'
import { T0 } from '../testing/room'
import { cidOf, decodeEvent, encodeCanonical } from './codec'
import v1 from './fixtures/v1.json'
import { EVENT_KINDS } from './kinds'

const fixtures = v1.map((f) => ({ ...f, bytes: hexToBytes(f.hex) }))

describe('v1 event fixtures', () => {
  it('cover every event kind', () => {
    expect(new Set(fixtures.map((f) => f.kind))).toEqual(new Set(EVENT_KINDS))
  })

  it.each(fixtures.map((f) => [f.kind, f] as const))('%s decodes to its id, re-encodes byte for byte, and verifies', async (_kind, f) => {
    const d = decodeEvent(f.bytes)
    if (!d.ok) throw new Error(`${f.kind}: ${d.detail}`)
    expect(d.value.id).toBe(f.id)
    expect(cidOf(f.bytes)).toBe(f.id)
    expect(d.value.event.kind).toBe(f.kind)
    expect(encodeCanonical(d.value.event)).toEqual(f.bytes)
    expect(await testVerifier.verify(d.value.event.author, d.signing, d.value.event.sig)).toBe(true)
  })

  it('keep the v1 envelope fields', () => {
    const d = decodeEvent(fixtures[0].bytes)
    expect(d.ok && Object.keys(d.value.event).sort()).toEqual(['author', 'deps', 'kind', 'lamport', 'payload', 'prev', 'room', 'seq', 'sig', 'time', 'v'])
    expect(d.ok && d.value.event).toMatchObject({ v: 1, room: '', kind: 'room.created', seq: 1, prev: null, lamport: 1, time: T0 })
  })

  it('are all admitted, in order, by a fresh log', async () => {
    const log = new EventLog({ room: asEventId(fixtures[0].id), verifier: testVerifier, now: () => T0 + 3600_000 })
    for (const f of fixtures) expect(await log.add(f.bytes), f.kind).toMatchObject({ status: 'accepted', id: f.id })
  })
})
