/**
 * One sync round over a real libp2p stream on loopback (TCP + noise + yamux, the protocol id
 * and `streamChannel` of lib/net/sync): what catch-up costs once framing, encryption and
 * multiplexing are added to the in-memory figure.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { streamChannel } from '../lib/net/sync/libp2p-channel'
import { SYNC_PROTOCOL } from '../lib/net/sync/messages'
import { initiateRound, respondRound, type RoundResult, type SyncReplica } from '../lib/net/sync/round'

const node = (): Promise<Libp2p> =>
  createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })

/** `fresh` initiates one round against `full` over a loopback libp2p connection; returns the initiator's result. */
export async function libp2pRound(fresh: SyncReplica, full: SyncReplica): Promise<RoundResult> {
  const [a, b] = await Promise.all([node(), node()])
  try {
    let responded: Promise<RoundResult | Error> | undefined
    await b.handle(SYNC_PROTOCOL, (stream) => {
      // Caught at once: a reset must not surface as an unhandled rejection before we await it.
      responded = respondRound(streamChannel(stream, 60_000), full).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
    })
    const stream = await a.dialProtocol(b.getMultiaddrs(), SYNC_PROTOCOL)
    const ch = streamChannel(stream, 60_000)
    const mine = await initiateRound(ch, fresh)
    await ch.close()
    const theirs = await responded
    if (theirs instanceof Error) throw new Error(`responder failed: ${theirs.message}`)
    return mine
  } finally {
    await Promise.all([a.stop(), b.stop()])
  }
}
