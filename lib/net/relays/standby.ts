/**
 * An agent keeps two relays connected (losing one costs nothing) but takes the room's gossip
 * from one of them: the other is a standby, connected and published to, but out of the agent's
 * gossipsub mesh (ADR 0029). A relay is a hub that forwards every event and heartbeat to every
 * peer in its mesh; an agent in the mesh of both its relays receives everything twice, and
 * with every agent doing so three relays do twice the forwarding one relay does.
 *
 * The choice rides on gossipsub's application-specific score: a standby relay scores below zero,
 * so the agent's heartbeat prunes it from the mesh and refuses its grafts (with a PRUNE whose
 * backoff keeps the relay from grafting again at once), while it stays above the publish
 * threshold: the agent still publishes its own messages to both relays. When the mesh relay's
 * connection closes, or its presence beats stop while the room's go on (a cut link, which the
 * connection monitor notices only after tens of seconds), the standby scores zero again and the
 * next heartbeat grafts it.
 */
import type { GossipsubOpts } from '@libp2p/gossipsub'
import { roomScoring } from '../scoring'
import { eventsTopic, roomTopics } from '../topics'

/**
 * A standby relay's score: below zero (out of the mesh) even with the positive topic score at
 * its cap (the first deliveries a standby makes: its own heartbeats), above the publish
 * threshold of -50, and below the gossip threshold of -10, so that its IHAVEs are ignored. A
 * presence beat's message id includes the second it is seen in (message-id.ts), so a relay's
 * IHAVE names most beats under another id than the agent's: the agent would fetch them again,
 * and count the answers as broken promises against the standby.
 */
export const STANDBY_SCORE = -20
const TOPIC_SCORE_CAP = 4

/**
 * How long a relay that the agent pruned waits before grafting it again, and how long the agent
 * waits before grafting a relay it pruned. A relay whose mesh is under its low-water mark grafts
 * its standbys again after each backoff and is refused each time, forwarding to the agent until
 * the refusal arrives (a round trip of duplicates); a standby pruned that recently cannot take
 * over before the backoff ends. Ten seconds bounds both.
 */
const PRUNE_BACKOFF_MS = 10_000
/** The agent's backoff must end after the relay's, which started when our PRUNE arrived there. */
const BACKOFF_SLACK_MS = 2000

/**
 * Which connected relays are standbys. `ranked` is the connected relays, preferred first. The
 * preferred one is the mesh relay; every other is a standby, except that a relay still in the
 * mesh stays there until the preferred one has joined it, so a switch never leaves the agent
 * with no relay in its mesh.
 */
export function standbyRelays(ranked: readonly string[], inMesh: ReadonlySet<string>): Set<string> {
  const [preferred, ...rest] = ranked
  if (preferred == null) return new Set()
  const keep = inMesh.has(preferred) ? [] : rest.filter((id) => inMesh.has(id))
  return new Set(rest.filter((id) => !keep.includes(id)))
}

/** A PRUNE as gossipsub builds it (topic, backoff). */
type Prune = { topicID?: string; peers?: []; backoff?: number }

/** What the standby choice uses of gossipsub: the mesh, its prune backoffs, and sending a PRUNE. */
interface GossipView {
  getMeshPeers(topic: string): string[]
  sendRpc?(id: string, rpc: { subscriptions: []; messages: []; control: { ihave: []; iwant: []; graft: []; prune: Prune[]; idontwant: [] } }): boolean
}

/** The relays a peer is connected to, preferred first. */
export interface RankedRelays {
  ranked(): string[]
}

/** Reorders `ranked` so that relays `live` says are silent come last (their order kept). */
export function liveFirst(ranked: readonly string[], live: (peerId: string) => boolean): string[] {
  const silent = ranked.filter((id) => !live(id))
  return [...ranked.filter((id) => !silent.includes(id)), ...silent]
}

/** See the module comment: one relay in an agent's gossip mesh, the others on standby. */
export class RelayStandby {
  private standby = new Set<string>()
  /** Standbys told with a PRUNE that the agent keeps out of its mesh (see `tellStandbys`). */
  private told = new Set<string>()
  private relays?: RankedRelays
  private pubsub?: GossipView
  private timer?: ReturnType<typeof setInterval>
  private readonly room: string
  private readonly intervalMs: number
  private readonly live: (peerId: string) => boolean

  /**
   * `live` is false for a relay whose presence beats stopped while the room's go on; such a
   * relay is preferred last.
   */
  constructor(room: string, opts: { intervalMs?: number; live?: (peerId: string) => boolean } = {}) {
    this.room = room
    this.intervalMs = opts.intervalMs ?? 1000
    this.live = opts.live ?? (() => true)
  }

  /** Gossipsub options for the agent: the room's scoring with the standby score, and no IHAVE of its own. */
  gossipOptions(): Partial<GossipsubOpts> {
    const room = roomScoring(this.room)
    return {
      ...room,
      scoreParams: {
        ...room.scoreParams,
        appSpecificScore: (peerId) => (this.standby.has(peerId) ? STANDBY_SCORE : 0),
        appSpecificWeight: 1,
        topicScoreCap: TOPIC_SCORE_CAP,
      },
      pruneBackoff: PRUNE_BACKOFF_MS,
      // An agent is a leaf: its standby relay is its one peer outside the mesh, and gossip to it
      // would be an IHAVE every second listing every message id of the last three seconds, which
      // the relay already has from its own mesh.
      Dlazy: 0,
      gossipFactor: 0,
    }
  }

  /** Starts choosing, every `intervalMs`, from `relays` (a pool) for `pubsub` (the node's gossipsub). */
  start(relays: RankedRelays, pubsub: unknown): void {
    this.relays = relays
    this.pubsub = pubsub as GossipView
    this.refresh()
    clearInterval(this.timer)
    this.timer = setInterval(() => this.refresh(), this.intervalMs)
    this.timer.unref?.()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** True while `peerId` is a connected relay kept out of the mesh. */
  isStandby(peerId: string): boolean {
    return this.standby.has(peerId)
  }

  /** The relay this agent takes its gossip from (undefined with no relay connected). */
  meshRelay(): string | undefined {
    return this.relays == null ? undefined : liveFirst(this.relays.ranked(), this.live).find((id) => !this.standby.has(id))
  }

  /** Re-reads the connected relays and the mesh (the timer calls it; a test may too). */
  refresh(): void {
    if (this.relays == null || this.pubsub?.getMeshPeers == null) return
    const ranked = liveFirst(this.relays.ranked(), this.live)
    const inMesh = new Set(this.pubsub.getMeshPeers(eventsTopic(this.room)))
    this.standby = standbyRelays(ranked, inMesh)
    this.tellStandbys()
    const preferred = ranked[0]
    if (preferred != null && !inMesh.has(preferred)) this.forgetExpiredBackoff(preferred)
  }

  /**
   * Sends each new standby a PRUNE on the room's topics, once. A relay whose mesh is full never
   * grafts an agent that connected later, so the agent never refuses it, and the relay would take
   * the agent for a peer outside its mesh that wants IHAVEs; a PRUNE is what tells a hub to leave
   * a peer alone (hub.ts). A relay that stops being a standby (promoted, or gone) is told again
   * the next time it becomes one.
   */
  private tellStandbys(): void {
    const g = this.pubsub
    for (const id of this.told) if (!this.standby.has(id)) this.told.delete(id)
    if (g?.sendRpc == null) return
    for (const id of this.standby) {
      if (this.told.has(id)) continue
      // Written here, not by gossipsub's makePrune, which would also put the relay in our own
      // backoff: we could then not graft it for the backoff if the mesh relay failed meanwhile.
      const prune: Prune[] = roomTopics(this.room).map((topic) => ({ topicID: topic, peers: [], backoff: PRUNE_BACKOFF_MS / 1000 }))
      // No outbound stream yet (just connected): told at a later heartbeat.
      if (g.sendRpc(id, { subscriptions: [], messages: [], control: { ihave: [], iwant: [], graft: [], prune, idontwant: [] } }) === true) this.told.add(id)
    }
  }

  /**
   * gossipsub removes an expired prune backoff only every fifteenth heartbeat, and until then
   * does not graft the peer. A relay that becomes the preferred one after being a standby would
   * then wait up to fifteen more seconds for the mesh; an expired entry is dropped here instead,
   * which is what gossipsub's own sweep does. (The backoff map is not on gossipsub's exported
   * interface; without it this does nothing and the sweep takes over.)
   */
  private forgetExpiredBackoff(peerId: string): void {
    const backoff = (this.pubsub as { backoff?: unknown }).backoff
    if (!(backoff instanceof Map)) return
    const now = Date.now()
    for (const topic of roomTopics(this.room)) {
      const byPeer: unknown = backoff.get(topic)
      if (!(byPeer instanceof Map)) continue
      const expiry: unknown = byPeer.get(peerId)
      if (typeof expiry === 'number' && expiry + BACKOFF_SLACK_MS < now) byPeer.delete(peerId)
    }
  }
}
