import type { PeerId } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import type { RelayNode } from './node'
import { reservationGate } from './reservations'

/** The circuit-relay server's reservations, keyed by peer id as its PeerMap is. */
function reservations(...held: string[]) {
  const ids = new Set(held)
  const key = (id: string) => ({ toString: () => id }) as PeerId
  return {
    ids,
    node: { services: { relay: { reservations: { keys: () => [...ids].map(key), delete: (p: PeerId) => ids.delete(p.toString()) } } } } as unknown as RelayNode,
    request: (gate: ReturnType<typeof reservationGate>, id: string) => !gate.gater.denyInboundRelayReservation!(key(id)),
  }
}

describe('reservationGate', () => {
  const members = new Set(['member-a', 'member-b'])
  const barred = new Set<string>()
  const gate = (maxGuests = 2, sweepDelayMs = 10) => reservationGate({ isMember: (id) => members.has(id) && !barred.has(id), isBarred: (id) => barred.has(id), maxGuests, sweepDelayMs })

  it('lets members reserve freely and guests up to the bound', () => {
    const r = reservations('guest-1', 'guest-2')
    const g = gate()
    g.attach(r.node)
    expect(r.request(g, 'member-a')).toBe(true)
    expect(r.request(g, 'guest-3')).toBe(false)
    expect(r.request(g, 'guest-1')).toBe(true) // renewing its own slot
    expect(g.guests()).toBe(2)
    expect(g.denied).toBe(1)
  })

  it('refuses a taken-back key even while guest slots are free, and drops the reservation it holds', async () => {
    barred.clear()
    const r = reservations('member-a', 'member-b')
    const g = gate(64)
    g.attach(r.node)
    barred.add('member-b')
    expect(r.request(g, 'member-b')).toBe(false)
    expect(r.request(g, 'member-a')).toBe(true)
    // The reservation it held when it was taken back goes at the next sweep after a change.
    expect(r.ids.has('member-b')).toBe(true)
    g.kick()
    g.kick()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect([...r.ids]).toEqual(['member-a'])
    expect(g.sweep()).toBe(0)
    barred.clear()
  })
})
