import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RelayDirectory } from './directory'
import type { RelayRecord } from './record'

const SELF = 'self'
const ids = ['self', 'r1', 'r2', 'r3']
const addr = fc.integer({ min: 1, max: 12 }).map((n) => `/ip4/10.0.0.${n}/tcp/7780/ws`)
const record = fc.record({ peerId: fc.constantFrom(...ids), addrs: fc.array(addr, { minLength: 1, maxLength: 10 }) })

type Op =
  | { t: 'learn'; records: RelayRecord[] }
  | { t: 'confirm'; record: RelayRecord }
  | { t: 'reached' | 'failed'; peerId: string }
  | { t: 'wrongRoom'; peerId: string }
  | { t: 'tick'; ms: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('learn' as const), records: fc.array(record, { maxLength: 3 }) }),
  fc.record({ t: fc.constant('confirm' as const), record }),
  fc.record({ t: fc.constantFrom('reached' as const, 'failed' as const), peerId: fc.constantFrom(...ids) }),
  fc.record({ t: fc.constant('wrongRoom' as const), peerId: fc.constantFrom(...ids) }),
  fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 120_000 }) }),
)

describe('RelayDirectory', () => {
  it('under any sequence of news, never lists itself, keeps at most 8 addresses, backs off at most 30 s and hides wrong-room relays from what it shares', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const d = new RelayDirectory(SELF, 10 * 60_000)
        let now = 1_000_000
        for (const o of ops) {
          if (o.t === 'tick') now += o.ms
          else if (o.t === 'learn') d.learn(o.records, now)
          else if (o.t === 'confirm') d.confirm(o.record, now)
          else if (o.t === 'wrongRoom') d.wrongRoom(o.peerId, 'other-room', now)
          else d[o.t](o.peerId, now)
          for (const k of d.all()) {
            expect(k.record.peerId).not.toBe(SELF)
            expect(k.record.addrs.length).toBeLessThanOrEqual(8)
            if (k.wrongRoom == null) expect(k.nextDial - now).toBeLessThanOrEqual(30_000)
          }
          const shared = new Set(d.records().map((r) => r.peerId))
          for (const k of d.all()) expect(shared.has(k.record.peerId)).toBe(k.wrongRoom == null)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('a relay seen at a new address is dialled there first and at once, whatever its backoff', () => {
    const d = new RelayDirectory(SELF)
    d.learn([{ peerId: 'r1', addrs: ['/ip4/10.0.0.1/tcp/7780/ws'] }], 0)
    for (let i = 0; i < 6; i++) d.failed('r1', 0)
    expect(d.get('r1')!.nextDial).toBe(30_000)
    d.learn([{ peerId: 'r1', addrs: ['/ip4/10.0.0.41/tcp/7780/ws'] }], 1)
    expect(d.get('r1')!.record.addrs[0]).toBe('/ip4/10.0.0.41/tcp/7780/ws')
    expect(d.get('r1')!.nextDial).toBe(0)
  })

  it('forgets a relay neither reached nor listed for the forget period, unless told to keep it', () => {
    const d = new RelayDirectory(SELF, 1000)
    d.learn([{ peerId: 'r1', addrs: ['/a'] }, { peerId: 'r2', addrs: ['/b'] }], 0)
    d.reached('r2', 900)
    expect(d.forgetStale(1500, () => false)).toBe(true)
    expect(d.has('r1')).toBe(false)
    expect(d.has('r2')).toBe(true)
    expect(d.forgetStale(5000, (id) => id === 'r2')).toBe(false)
    expect(d.has('r2')).toBe(true)
  })
})
