/**
 * A tab's place in the room's gossip (ADR 0113): while a relay serves it, a tab is a leaf. Its
 * relays are its only gossipsub mesh peers, so it forwards none of the room's events, beats or
 * announcements to the other tabs it reaches over WebRTC, and it exchanges no IHAVE/IWANT with
 * them: everything reaches a tab from its relays, which keep every subscriber in their mesh, and
 * the sync rounds repair what gossip missed. A tab's own messages still go to every direct peer
 * at once (`floodPublish`), so tab → tab delivery keeps its single hop. Without a relay the
 * other peers score zero again and are grafted within a heartbeat or two, so tabs whose relay is
 * down still forward among themselves.
 *
 * Two tabs seldom learn at the same heartbeat that their relay is gone (or back), and a GRAFT
 * from a tab the receiver still scores below zero is answered with a PRUNE carrying the
 * receiver's back-off. With gossipsub's default, a minute, one such race would keep the tabs
 * apart for 61–76 s after their relay went (gossipsub clears expired back-offs every 15
 * heartbeats); a tab's back-off is a few heartbeats instead, so they graft within 6–21 s.
 * It only bounds how soon a tab grafts a peer that pruned it: what the relays send a tab keeps
 * their own back-off.
 *
 * It is gossipsub's own application-specific score (gossipsub v1.1, P5), so every use of the
 * score agrees: a peer below zero is never grafted and its GRAFT is pruned, below the gossip
 * threshold it gets and gives no gossip, at or above the publish threshold it still gets this
 * tab's own messages, and the graylist stays as far away as an honest peer's was.
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#the-score-function
 */
import type { GossipsubOpts } from '@libp2p/gossipsub'
import { roomScoring } from './scoring'

/**
 * What a served tab gives a peer that is not one of its relays. With the room's thresholds
 * (gossip −10, publish −50, graylist −80) and a topic score capped at +10, such a peer scores
 * between −30 and −20 while it sends nothing invalid: out of the mesh and the gossip, in reach of
 * our publishes; three invalid events graylist it, as they graylist a peer that starts at zero.
 */
export const LEAF_SCORE = -30

/** The back-off a tab sends in its PRUNEs (and keeps itself): a few heartbeats, not a minute. */
export const TAB_PRUNE_BACKOFF_MS = 5_000

/**
 * Gossipsub options of a tab (merged over `meshServices`' own): the room's scoring plus the leaf
 * rule above. `relays` names the relays serving the tab now (direct connections, right room).
 */
export function tabGossip(room: string, relays: () => readonly string[]): Partial<GossipsubOpts> {
  const { scoreParams } = roomScoring(room)
  return {
    pruneBackoff: TAB_PRUNE_BACKOFF_MS,
    scoreParams: {
      ...scoreParams,
      appSpecificWeight: 1,
      appSpecificScore: (peer: string) => {
        const serving = relays()
        return serving.length > 0 && !serving.includes(peer) ? LEAF_SCORE : 0
      },
    },
  }
}
