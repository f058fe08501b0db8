/**
 * No lazy gossip (IHAVE / IWANT) on topics whose message ids are local to a peer.
 *
 * gossipsub's lazy path assumes every peer names a message alike: a peer advertises the ids of
 * its recent messages (IHAVE) to neighbours outside its mesh, a neighbour asks for the ids it has
 * not seen (IWANT) and expects each asked id to arrive within a few seconds, or counts a broken
 * promise against the advertiser (a behaviour penalty, gossipsub v1.1). On every topic but
 * events a message's id includes the second the peer saw it (message-id.ts), so an advertised
 * id is the advertiser's second, the copy it sends back is named by the receiver's, and the
 * promise always breaks once a second has turned: the receiver asks again for beats it holds,
 * and one broken promise puts an honest neighbour's score below zero. A peer then prunes that
 * neighbour from its mesh at the next heartbeat and keeps it out for the prune backoff — an
 * agent whose one relay is that neighbour receives no event by gossip meanwhile, only by sync.
 *
 * Those topics repeat their messages every interval (heartbeats, announcements), so the next
 * one does what lazy repair would: here a peer neither advertises their ids nor acts on an
 * advertisement of them (an older peer may still send one). The events topic keeps both.
 */
import { idIsLocal } from './message-id'

interface IHave {
  topicID?: string
  messageIDs?: Uint8Array[]
}

/** The gossipsub internals this patches (implementation members, not its exported interface). */
interface LazyGossip {
  doEmitGossip(topic: string, candidates: Set<string>, messageIDs: Uint8Array[]): void
  handleIHave(id: string, ihave: IHave[]): unknown
}

/** Keeps `pubsub`'s lazy gossip to topics whose ids every peer shares (see the module comment). */
export function noLazyGossipOnLocalIds(pubsub: unknown, isLocal: (topic: string) => boolean = idIsLocal): void {
  const g = pubsub as LazyGossip
  if (typeof g.doEmitGossip !== 'function' || typeof g.handleIHave !== 'function') return
  const emit = g.doEmitGossip.bind(g)
  g.doEmitGossip = (topic, candidates, messageIDs) => {
    if (!isLocal(topic)) emit(topic, candidates, messageIDs)
  }
  const onIHave = g.handleIHave.bind(g)
  g.handleIHave = (id, ihave) => onIHave(id, ihave.filter((h) => h.topicID == null || !isLocal(h.topicID)))
}
