/**
 * The libp2p services every Chorus Mesh peer runs (noise, yamux, identify, ping,
 * and gossipsub registered as `pubsub`, because peer discovery reads `components.pubsub`).
 */
import { gossipsub, StrictNoSign, type GossipSub, type GossipsubOpts } from '@libp2p/gossipsub'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import { guardDiscovery } from './announcer'
import { coalesceSends } from './coalesce'
import { trimFrameCosts } from './frame-costs'
import { meshMessageId } from './message-id'
import { pingSettings } from './relays/connections'
import { noLazyGossipOnLocalIds } from './local-ids'
import { holdPrunedPeers } from './relays/hub'
import { roomScoring } from './scoring'

/**
 * A hub sends no IDONTWANT (ADR 0074). gossipsub sends one to every mesh peer but the source for
 * each message it receives, before validating it, inside the socket read that brought it: on a
 * hub that is one more send per subscriber per event, as many as forwarding itself, and in a
 * star it saves nothing — an agent's only mesh peer is the hub it heard the event from.
 */
const HUB_NO_IDONTWANT = { idontwantMinDataSize: Number.POSITIVE_INFINITY }

// A type alias, not an interface: libp2p's ServiceMap needs the implicit index signature.
export type MeshServices = {
  identify: Identify
  ping: Ping
  pubsub: GossipSub
}

/**
 * Service factories shared by the browser, relay and agent nodes. With `room`, gossipsub scores
 * peers on that room's topics (ADR 0024) so peers that send invalid events are graylisted.
 */
export function meshServices(opts: { room?: string; hub?: boolean; gossip?: Partial<GossipsubOpts> } = {}) {
  // Every peer builds its services here, so every peer's connections get the trims (ADR 0078).
  trimFrameCosts()
  const pubsub = gossipsub({
    // A lone peer (first tab, relay before anyone joins) must be able to publish.
    allowPublishToZeroTopicPeers: true,
    // Never open gossip streams on a limited (relayed) connection: the registrar notifies a
    // topology once per peer, so a stream opened there would die with the relayed connection
    // and never move to the WebRTC one. Until the upgrade, tabs gossip through the relay,
    // which is a full peer on a direct WebSocket connection.
    runOnLimitedConnection: false,
    // Small rooms: send our own messages to every subscriber, not just mesh peers.
    floodPublish: true,
    emitSelf: false,
    // No libp2p signature on any message (ADR 0075): an event carries its author's signature,
    // a heartbeat its member's, and verifying a second one per message cost the relay a
    // seventh of its CPU under a flood. Ids are content-addressed (message-id.ts).
    globalSignaturePolicy: StrictNoSign,
    msgIdFn: meshMessageId(),
    // A re-publish of bytes already seen (an announcement within the same second, an event a
    // peer already forwarded us) is not an error for the publisher.
    ignoreDuplicatePublishError: true,
    ...(opts.room != null ? roomScoring(opts.room) : {}),
    // A relay is the hub of a star: agents and fresh tabs reach each other only through it.
    // With the default mesh degree (D 6, Dhi 12) it forwarded each event eagerly to 12 peers
    // and the rest waited for gossip or the next sync round (seconds at 25+ agents; see
    // docs/PERFORMANCE.md), so a hub keeps every subscriber in its mesh, up to 256.
    ...(opts.hub === true ? { D: 64, Dlo: 32, Dhi: 256, Dout: 8, ...HUB_NO_IDONTWANT } : {}),
    // A peer's own additions (an agent's standby relays, lib/net/relays/standby.ts).
    ...opts.gossip,
  })
  return {
    identify: identify(),
    ping: ping(pingSettings),
    pubsub: (components: Parameters<typeof pubsub>[0]) => {
      const g = pubsub(components)
      // Discovery announcements are checked on every peer that may forward them (announcer.ts).
      if (opts.room != null) guardDiscovery(g, opts.room)
      // Heartbeats and announcements are named by the second each peer saw them: never
      // advertised or asked for by id, whose promise would always break (local-ids.ts).
      noLazyGossipOnLocalIds(g)
      // A hub's gossip writes to one peer during a turn go out as one write (coalesce.ts): it
      // forwards every event to every subscriber. Other peers send their own events one at a
      // time, and a write they make just before stopping (a goodbye heartbeat) must not wait
      // for a turn that never comes.
      if (opts.hub === true) coalesceSends(g)
      // A hub leaves alone the peers that pruned it (relays/hub.ts: agents' standby relays).
      if (opts.hub === true) holdPrunedPeers(g)
      return g
    },
  }
}
