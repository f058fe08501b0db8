import fc from 'fast-check'
import { createPeerScoreParams, validatePeerScoreParams } from '@libp2p/gossipsub/score'
import { describe, expect, it } from 'vitest'
import { discoveryTopic, eventsTopic, presenceTopic, roomTopics } from '../topics'
import { liveFirst, RelayStandby, STANDBY_SCORE, standbyRelays } from './standby'

const ROOM = 'room-1'
const relayIds = ['r1', 'r2', 'r3', 'r4']
const ranking = fc.uniqueArray(fc.constantFrom(...relayIds), { maxLength: 4 })
const mesh = fc.subarray([...relayIds, 'agent-x'])

describe('standbyRelays', () => {
  it('for any connected relays and mesh, keeps only the preferred relay out of standby once it is meshed, and until then the relays already meshed', () => {
    fc.assert(
      fc.property(ranking, mesh, (ranked, inMeshList) => {
        const inMesh = new Set(inMeshList)
        const standby = standbyRelays(ranked, inMesh)
        const active = ranked.filter((id) => !standby.has(id))
        // Only connected relays are ever standbys, and never the preferred one.
        for (const id of standby) expect(ranked.slice(1)).toContain(id)
        if (ranked.length === 0) {
          expect(standby.size).toBe(0)
        } else if (inMesh.has(ranked[0])) {
          // Once the preferred relay is in the mesh, every other relay is a standby.
          expect(active).toEqual([ranked[0]])
        } else {
          expect(active[0]).toBe(ranked[0])
          // Until then, relays already in the mesh stay in it: a switch never empties the mesh.
          expect(active.slice(1)).toEqual(ranked.slice(1).filter((id) => inMesh.has(id)))
        }
      }),
    )
  })
})

describe('liveFirst', () => {
  it('for any ranking and any silent set, keeps every relay once, the live ones first, each group in its order', () => {
    fc.assert(
      fc.property(ranking, fc.subarray(relayIds), (ranked, silentList) => {
        const silent = new Set(silentList)
        const out = liveFirst(ranked, (id) => !silent.has(id))
        expect([...out].sort()).toEqual([...ranked].sort())
        const firstSilent = out.findIndex((id) => silent.has(id))
        if (firstSilent >= 0) expect(out.slice(firstSilent).every((id) => silent.has(id))).toBe(true)
        expect(out.filter((id) => !silent.has(id))).toEqual(ranked.filter((id) => !silent.has(id)))
        expect(out.filter((id) => silent.has(id))).toEqual(ranked.filter((id) => silent.has(id)))
      }),
    )
  })
})

/** A pool and a gossipsub mesh that a test moves by hand. */
function fakes() {
  const state = { ranked: [] as string[], mesh: [] as string[], backoff: new Map<string, Map<string, number>>() }
  const pool = { ranked: () => [...state.ranked] }
  const pubsub = { getMeshPeers: (topic: string) => (topic === eventsTopic(ROOM) ? [...state.mesh] : []), backoff: state.backoff }
  return { state, pool, pubsub }
}

describe('RelayStandby', () => {
  it('scores the standby relay out of the mesh and the gossip but inside the publish threshold whatever its topic score, and other peers at zero', () => {
    const s = new RelayStandby(ROOM)
    const opts = s.gossipOptions()
    const params = createPeerScoreParams(opts.scoreParams)
    expect(() => validatePeerScoreParams(params)).not.toThrow()
    const { state, pool, pubsub } = fakes()
    state.ranked = ['r1', 'r2']
    state.mesh = ['r1', 'agent-x']
    s.start(pool, pubsub)
    s.stop()
    expect(s.isStandby('r2')).toBe(true)
    expect(s.meshRelay()).toBe('r1')
    const app = (id: string) => params.appSpecificScore(id) * params.appSpecificWeight
    expect(app('r1')).toBe(0)
    expect(app('agent-x')).toBe(0)
    // The best a standby can score is the capped topic score plus its own: still below zero.
    expect(params.topicScoreCap + app('r2')).toBeLessThan(0)
    expect(app('r2')).toBe(STANDBY_SCORE)
    expect(params.topicScoreCap + app('r2')).toBeLessThan(opts.scoreThresholds?.gossipThreshold ?? Infinity)
    expect(app('r2')).toBeGreaterThan(opts.scoreThresholds?.publishThreshold ?? Infinity)
  })

  it('hands the mesh to the standby when the mesh relay goes, and takes it back only after the preferred relay joined the mesh', () => {
    const s = new RelayStandby(ROOM)
    const { state, pool, pubsub } = fakes()
    // The agent reached r2 first and meshed with it; its preferred relay r1 connects later.
    state.ranked = ['r2']
    state.mesh = ['r2']
    s.start(pool, pubsub)
    expect(s.meshRelay()).toBe('r2')
    state.ranked = ['r1', 'r2']
    s.refresh()
    expect(s.isStandby('r1')).toBe(false)
    expect(s.isStandby('r2')).toBe(false)
    state.mesh = ['r2', 'r1']
    s.refresh()
    expect(s.isStandby('r2')).toBe(true)
    state.mesh = ['r1']
    // r1 goes away: r2 is the mesh relay at once.
    state.ranked = ['r2']
    state.mesh = []
    s.refresh()
    expect(s.isStandby('r2')).toBe(false)
    expect(s.meshRelay()).toBe('r2')
    s.stop()
  })

  it('moves the mesh to the standby when the mesh relay falls silent while still connected, and demotes the silent one once the other is meshed', () => {
    const silent = new Set<string>()
    const s = new RelayStandby(ROOM, { live: (id) => !silent.has(id) })
    const { state, pool, pubsub } = fakes()
    state.ranked = ['r1', 'r2']
    state.mesh = ['r1']
    s.start(pool, pubsub)
    expect(s.isStandby('r2')).toBe(true)
    silent.add('r1')
    s.refresh()
    expect(s.meshRelay()).toBe('r2')
    expect(s.isStandby('r2')).toBe(false)
    // r1 stays meshed until r2 has joined, then it is the standby.
    expect(s.isStandby('r1')).toBe(false)
    state.mesh = ['r1', 'r2']
    s.refresh()
    expect(s.isStandby('r1')).toBe(true)
    s.stop()
  })

  it('drops a prune backoff of the preferred relay that expired more than the slack ago, not a running or just-expired one, nor another peer\'s', () => {
    const s = new RelayStandby(ROOM)
    const { state, pool, pubsub } = fakes()
    const now = Date.now()
    state.ranked = ['r1', 'r2']
    state.backoff.set(eventsTopic(ROOM), new Map([['r1', now - 3000], ['agent-x', now - 3000]]))
    state.backoff.set(presenceTopic(ROOM), new Map([['r1', now + 60_000]]))
    // Just expired: the relay's own backoff, which began when our PRUNE reached it, may still run.
    state.backoff.set(discoveryTopic(ROOM), new Map([['r1', now - 500]]))
    s.start(pool, pubsub)
    s.stop()
    expect(state.backoff.get(eventsTopic(ROOM))?.has('r1')).toBe(false)
    expect(state.backoff.get(eventsTopic(ROOM))?.has('agent-x')).toBe(true)
    expect(state.backoff.get(presenceTopic(ROOM))?.has('r1')).toBe(true)
    expect(state.backoff.get(discoveryTopic(ROOM))?.has('r1')).toBe(true)
  })

  it('sends each new standby one PRUNE on every room topic, and again only after it stopped being one', async () => {
    const s = new RelayStandby(ROOM)
    const { state, pool, pubsub } = fakes()
    const sent: { to: string; topics: (string | undefined)[] }[] = []
    let streamOpen = false
    const g = {
      ...pubsub,
      sendRpc: (to: string, rpc: { control: { prune: { topicID?: string; backoff?: number }[] } }) => {
        if (!streamOpen) return false
        expect(rpc.control.prune.every((p) => p.backoff === 10)).toBe(true)
        return sent.push({ to, topics: rpc.control.prune.map((p) => p.topicID) }) > 0
      },
    }
    state.ranked = ['r1', 'r2']
    state.mesh = ['r1']
    s.start(pool, g)
    // No outbound stream to r2 yet: nothing sent, and it is told at the next refresh.
    s.refresh()
    expect(sent).toEqual([])
    streamOpen = true
    s.refresh()
    s.refresh()
    expect(sent).toEqual([{ to: 'r2', topics: roomTopics(ROOM) }])
    // r2 becomes the mesh relay (r1 went away), then a standby again when r1 returns and meshes.
    state.ranked = ['r2']
    state.mesh = ['r2']
    s.refresh()
    state.ranked = ['r1', 'r2']
    state.mesh = ['r1', 'r2']
    s.refresh()
    s.refresh()
    await new Promise((r) => setTimeout(r, 0))
    s.stop()
    expect(sent.map((x) => x.to)).toEqual(['r2', 'r2'])
  })
})
