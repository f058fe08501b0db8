import { describe, expect, it } from 'vitest'
import type { PeerRow } from '../net/presence/service'
import type { SyncStats } from '../net/sync/service'
import { HEALED_BANNER_MS, createMeshStore } from './mesh-store'

const self = { peerId: 'me', name: 'me', kind: 'human' as const, role: 'reviewer' }
const peer = (id: string, status: PeerRow['status'], kind: PeerRow['kind'] = 'agent'): PeerRow => ({
  peerId: id, name: id, kind, role: 'agent', status, lastSeen: 0, firstSeen: 0, beats: 1, transport: 'none',
})
const stats = (eventsAdded: number): SyncStats => ({ rounds: 1, equalRounds: 0, failedRounds: 0, refusedRounds: 0, eventsReceived: eventsAdded, eventsAdded, eventsSent: 0, bytesSent: 0, bytesReceived: 0 })

describe('mesh store', () => {
  it('is separate per provider and follows start, presence, relay and replica updates', () => {
    const a = createMeshStore()
    const b = createMeshStore()
    a.getState().started({ id: 'room-1', name: 'Room', open: false }, undefined)
    a.getState().relayState('connected')
    a.getState().presence({ self, peers: [peer('p', 'alive')] })
    a.getState().replicaChanged({ root: 'abc', events: 3, pending: 0 })
    expect(a.getState()).toMatchObject({ status: 'running', relay: 'connected', room: { id: 'room-1' }, replica: { events: 3 } })
    expect(a.getState().peers.map((p) => p.peerId)).toEqual(['p'])
    expect(b.getState()).toMatchObject({ status: 'starting', relay: 'disconnected', peers: [] })
    a.getState().failed('boom')
    expect(a.getState()).toMatchObject({ status: 'error', error: 'boom' })
  })

  it('shows a partition when most members go silent, then how many events the heal brought in', () => {
    const s = createMeshStore()
    s.getState().syncChanged(stats(10))
    s.getState().presence({ self, peers: [peer('a', 'alive'), peer('b', 'alive'), peer('c', 'alive')] }, 0)
    expect(s.getState().partition).toBeUndefined()
    s.getState().presence({ self, peers: [peer('a', 'suspect'), peer('b', 'dead'), peer('c', 'alive'), peer('r', 'dead', 'relay')] }, 1000)
    expect(s.getState().partition).toMatchObject({ kind: 'partitioned', silent: 2, known: 3, since: 1000 })
    s.getState().presence({ self, peers: [peer('a', 'alive'), peer('b', 'alive'), peer('c', 'alive')] }, 5000)
    expect(s.getState().partition).toMatchObject({ kind: 'healed', broughtIn: 0, at: 5000 })
    // Anti-entropy rounds after the heal bring the other side's events in.
    s.getState().syncChanged(stats(17))
    expect(s.getState().partition).toMatchObject({ kind: 'healed', broughtIn: 7 })
    s.getState().presence({ self, peers: [peer('a', 'alive')] }, 5000 + HEALED_BANNER_MS + 1)
    expect(s.getState().partition).toBeUndefined()
  })
})
