import type { Connection } from '@libp2p/interface'

/** How this peer reaches another: the best of its open connections. */
export type TransportKind = 'webrtc' | 'websocket' | 'tcp' | 'relayed' | 'none'

const RANK: Record<TransportKind, number> = { webrtc: 4, websocket: 3, tcp: 2, relayed: 1, none: 0 }

/** Classifies one connection by its remote multiaddr. */
export function connectionKind(conn: Pick<Connection, 'remoteAddr' | 'limits'>): TransportKind {
  const addr = conn.remoteAddr.toString()
  if (addr.includes('/p2p-circuit')) {
    // A relayed address that is not limited is the WebRTC connection signalled through the relay.
    return addr.includes('/webrtc') && conn.limits == null ? 'webrtc' : 'relayed'
  }
  if (addr.includes('/webrtc')) return 'webrtc'
  if (addr.includes('/ws') || addr.includes('/wss') || addr.includes('/tls/ws')) return 'websocket'
  if (addr.includes('/tcp/')) return 'tcp'
  return 'relayed'
}

/** The best transport among a peer's open connections. */
export function bestKind(conns: ReadonlyArray<Pick<Connection, 'remoteAddr' | 'limits' | 'status'>>): TransportKind {
  let best: TransportKind = 'none'
  for (const c of conns) {
    if (c.status !== 'open') continue
    const k = connectionKind(c)
    if (RANK[k] > RANK[best]) best = k
  }
  return best
}
