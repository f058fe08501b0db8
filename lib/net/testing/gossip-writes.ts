import type { Libp2p } from 'libp2p'
import { until } from '../../node/testing/until'
import type { MeshServices } from '../services'

/**
 * Counts the RPC writes `from` makes to `to` on its outbound gossip stream (resolves once that
 * stream is open). The count reads gossipsub's internals, which its public interface leaves out.
 */
export async function countWrites(from: Libp2p<MeshServices>, to: Libp2p<MeshServices>): Promise<() => number> {
  type Streams = Map<string, { rawStream: { send(d: unknown): boolean } }>
  const streams = () => (from.services.pubsub as unknown as { streamsOutbound: Streams }).streamsOutbound
  await until('an outbound gossip stream', () => streams().has(to.peerId.toString()), 20_000)
  const raw = streams().get(to.peerId.toString())!.rawStream
  let writes = 0
  const send = raw.send.bind(raw)
  raw.send = (d) => (writes++, send(d))
  return () => writes
}
