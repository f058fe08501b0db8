/**
 * Loads the tab's mesh code one part per task of the page. The bundler evaluates a dynamic
 * import's whole module graph synchronously, compiling each module as it runs it; for the
 * mesh (libp2p with its services and transports, the replica, the sync protocol, the
 * store) that is one task long enough to freeze the page while it opens. Each part below
 * evaluates what the parts before it have not, and the page gets a turn between them to
 * render and answer input. The parts follow the mesh's own layering, so each is a subgraph
 * the next one reuses.
 */
import { nextTurn } from '@/lib/net/turn'

type TabMeshModule = typeof import('@/lib/net/tab-mesh')

/** The mesh's parts, evaluated in this order before `tab-mesh` itself. */
const PARTS: ReadonlyArray<() => Promise<unknown>> = [
  // gossipsub, identify, ping and the codecs and curves they share
  () => import('@/lib/net/services'),
  // the libp2p node with its transports and connection encryption
  () => import('@/lib/net/browser-node'),
  // the replica, its host, gossip and the sync protocol
  () => import('@/lib/net/room-peer'),
]

/** The tab mesh module, its dependencies evaluated part by part, a macrotask apart. */
export async function loadTabMesh(): Promise<TabMeshModule> {
  for (const part of PARTS) {
    await part()
    await nextTurn()
  }
  return import('@/lib/net/tab-mesh')
}
