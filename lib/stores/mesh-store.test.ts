import { describe, expect, it } from 'vitest'
import { createMeshStore } from './mesh-store'

describe('mesh store', () => {
  it('is separate per provider and follows start, presence and relay updates', () => {
    const a = createMeshStore()
    const b = createMeshStore()
    a.getState().started({ id: 'room-1', name: 'Room' })
    a.getState().relayState('connected')
    a.getState().presence({
      self: { peerId: 'me', name: 'me', kind: 'human', role: 'reviewer' },
      peers: [{ peerId: 'p', name: 'p', kind: 'agent', role: 'agent', status: 'alive', lastSeen: 1, firstSeen: 1, beats: 1, transport: 'none' }],
    })
    expect(a.getState()).toMatchObject({ status: 'running', relay: 'connected', room: { id: 'room-1' } })
    expect(a.getState().peers.map((p) => p.peerId)).toEqual(['p'])
    expect(b.getState()).toMatchObject({ status: 'starting', relay: 'disconnected', peers: [] })
    a.getState().failed('boom')
    expect(a.getState()).toMatchObject({ status: 'error', error: 'boom' })
  })
})
