/**
 * A hub (a relay) takes a peer's PRUNE as that peer's choice, not as a gap to fill.
 *
 * An agent keeps its standby relay out of its gossip mesh (standby.ts, ADR 0029): it prunes it
 * and refuses its grafts. gossipsub on the relay would still, after each prune backoff, graft
 * the agent again whenever its mesh is under its low-water mark (a GRAFT, the refusing PRUNE,
 * and every message forwarded during that round trip), and would send the agent an IHAVE every
 * heartbeat listing every message id of the last three seconds, which the agent ignores. With
 * three relays and a third of the agents on each, every agent would pay that for two relays.
 *
 * So a peer that pruned the hub on a topic gets no IHAVE from it there until it grafts the hub
 * (or leaves the topic), and for `holdMs` after its prune the hub does not graft it either (it
 * keeps the prune backoff alive for that long). The peer can graft the hub whenever it wants —
 * an agent whose mesh relay went away takes its standby at once — and the hub accepts: a GRAFT
 * ends the hold. After `holdMs` a hub whose mesh is short grafts the peer again; a standby
 * refuses and is held again, one GRAFT/PRUNE per hold instead of one per backoff. A peer that
 * pruned the hub because its own mesh was full (a tab with many WebRTC peers) has its mesh, and
 * grafts the hub itself when it runs short.
 */

/** How long a prune keeps the hub from grafting the peer again (gossipsub's default prune backoff). */
export const PRUNE_HOLD_MS = 60_000

type Backoff = Map<string, Map<string, number>>

/** The gossipsub internals this patches (implementation members, not its exported interface). */
interface HubInternals {
  backoff: Backoff
  topics: Map<string, Set<string>>
  emitGossip(peersToGossipByTopic: Map<string, Set<string>>): void
  handleGraft(id: { toString(): string }, graft: { topicID?: string }[]): Promise<unknown>
  addEventListener(type: string, listener: (e: Event) => void): void
}

interface MeshChange {
  peerId: { toString(): string }
  topic: string
  direction: 'inbound' | 'outbound'
}

/** The peers that pruned one hub: topic → peer → when its graft hold ends. */
export class PruneHolds {
  private readonly holds = new Map<string, Map<string, number>>()
  constructor(private readonly holdMs = PRUNE_HOLD_MS) {}

  /** The peer pruned us on `topic` at `now`. */
  pruned(topic: string, peer: string, now: number): void {
    const byPeer = this.holds.get(topic) ?? new Map<string, number>()
    byPeer.set(peer, now + this.holdMs)
    this.holds.set(topic, byPeer)
  }

  /** The peer grafted us: it wants the mesh link, so it is no longer held. */
  grafted(topic: string, peer: string): boolean {
    return this.holds.get(topic)?.delete(peer) ?? false
  }

  /** True if `peer` pruned us on `topic` and has not grafted us since: no IHAVE for it. */
  prunedUs(topic: string, peer: string): boolean {
    return this.holds.get(topic)?.has(peer) ?? false
  }

  /** True while the hub must not graft `peer` on `topic` (within `holdMs` of its last prune). */
  held(topic: string, peer: string, now: number): boolean {
    const until = this.holds.get(topic)?.get(peer)
    return until != null && now < until
  }

  /** Forgets peers no longer subscribed; returns, per topic, the peers held from grafts and until when. */
  sweep(now: number, subscribed: (topic: string, peer: string) => boolean): Map<string, Map<string, number>> {
    const held = new Map<string, Map<string, number>>()
    for (const [topic, byPeer] of this.holds) {
      for (const [peer, until] of byPeer) {
        if (!subscribed(topic, peer)) byPeer.delete(peer)
        else if (until > now) held.set(topic, (held.get(topic) ?? new Map<string, number>()).set(peer, until))
      }
      if (byPeer.size === 0) this.holds.delete(topic)
    }
    return held
  }
}

/** Makes hub gossipsub `pubsub` hold peers that pruned it (see the module comment). */
export function holdPrunedPeers(pubsub: unknown, opts: { holdMs?: number; now?: () => number } = {}): PruneHolds {
  const g = pubsub as HubInternals
  const now = opts.now ?? Date.now
  const holds = new PruneHolds(opts.holdMs)
  if (!(g.backoff instanceof Map) || !(g.topics instanceof Map) || typeof g.emitGossip !== 'function' || typeof g.handleGraft !== 'function') return holds

  g.addEventListener('gossipsub:prune', (e) => {
    const d = (e as CustomEvent<MeshChange>).detail
    if (d.direction === 'inbound') holds.pruned(d.topic, d.peerId.toString(), now())
  })
  // gossipsub grafts only peers without a backoff entry (expired or not), so an entry that
  // outlives the hold keeps the heartbeat from grafting the peer.
  g.addEventListener('gossipsub:heartbeat', () => {
    const t = now()
    for (const [topic, byPeer] of holds.sweep(t, (topic, peer) => g.topics.get(topic)?.has(peer) ?? false)) {
      const backoff = g.backoff.get(topic) ?? new Map<string, number>()
      g.backoff.set(topic, backoff)
      for (const [peer, until] of byPeer) backoff.set(peer, Math.max(backoff.get(peer) ?? 0, until))
    }
  })
  const emitGossip = g.emitGossip.bind(g)
  g.emitGossip = (byTopic) => {
    for (const [topic, peers] of byTopic) for (const peer of peers) if (holds.prunedUs(topic, peer)) peers.delete(peer)
    emitGossip(byTopic)
  }
  // A held peer's GRAFT is accepted: its backoff entry is the hold's, not a penalty it earned.
  const handleGraft = g.handleGraft.bind(g)
  g.handleGraft = (id, graft) => {
    const peer = id.toString()
    for (const { topicID } of graft) if (topicID != null && holds.grafted(topicID, peer)) g.backoff.get(topicID)?.delete(peer)
    return handleGraft(id, graft)
  }
  return holds
}
