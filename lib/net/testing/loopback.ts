/**
 * Real libp2p nodes on loopback TCP for integration tests: noise, yamux and the mesh's own
 * services, as every peer runs them. Nodes made through one `loopbackNodes()` stop together
 * after each test.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import { afterEach } from 'vitest'
import { meshServices, type MeshServices } from '../services'

export interface LoopbackNodeOptions {
  /** The options of `meshServices` (room, hub, gossip settings). */
  services?: Parameters<typeof meshServices>[0]
  /** Anything else of libp2p's options: a key, peer discovery, a connection monitor. */
  init?: Omit<Libp2pOptions<MeshServices>, 'services'>
}

/** A factory of loopback nodes, each stopped after the test that made it (registers `afterEach`). */
export function loopbackNodes(): (opts?: LoopbackNodeOptions) => Promise<Libp2p<MeshServices>> {
  const nodes: Array<Libp2p<MeshServices>> = []
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()))
  })
  return async (opts = {}) => {
    const n = await createLibp2p<MeshServices>({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      ...opts.init,
      services: meshServices(opts.services),
    })
    nodes.push(n)
    return n
  }
}
