/**
 * Gossipsub peer scoring for a room (gossipsub v1.1 spec, "Peer Scoring"
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#peer-scoring).
 * Invalid messages (our validator's Reject) cost a peer quadratically, so a handful of forged
 * or malformed events graylists it — we then ignore everything it sends — while honest peers,
 * which never send invalid events, keep a score of zero or better.
 */
import type { GossipsubOpts } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import { discoveryTopic, eventsTopic, presenceTopic } from './topics'

type ScoreOpts = Pick<GossipsubOpts, 'scoreParams' | 'scoreThresholds'>

/** Score parameters for the room's topics. */
export function roomScoring(room: string): ScoreOpts {
  const topic = (invalidWeight: number) => createTopicScoreParams({
    topicWeight: 1,
    // Low-traffic topics: do not punish mesh peers for delivering "too few" messages.
    meshMessageDeliveriesWeight: 0,
    meshFailurePenaltyWeight: 0,
    // A little credit for being in the mesh and for first deliveries.
    timeInMeshWeight: 0.01,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 3600,
    firstMessageDeliveriesWeight: 0.5,
    firstMessageDeliveriesDecay: 0.9,
    firstMessageDeliveriesCap: 20,
    // The penalty is weight × count²: three forged events already reach the graylist.
    invalidMessageDeliveriesWeight: invalidWeight,
    // Forgiven slowly (×0.9 per second): a flooder stays graylisted for a while after it stops.
    invalidMessageDeliveriesDecay: 0.9,
  })
  return {
    scoreParams: {
      topics: { [eventsTopic(room)]: topic(-10), [presenceTopic(room)]: topic(-10), [discoveryTopic(room)]: topic(-10) },
      // Every browser reaches us through the same relay, and test meshes share 127.0.0.1:
      // sharing an IP address says nothing about a peer here.
      IPColocationFactorWeight: 0,
    },
    scoreThresholds: { gossipThreshold: -10, publishThreshold: -50, graylistThreshold: -80 },
  }
}
