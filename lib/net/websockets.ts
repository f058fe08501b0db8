/**
 * The WebSockets transport, also for relays behind a reverse proxy under a path: an address
 * such as `/dns4/chorus.example.com/tcp/443/tls/ws/http-path/relay%2Fws` dials
 * `wss://chorus.example.com/relay/ws`. The stock transport already builds that URL (its
 * multiaddr-to-URI step reads `http-path`) but its dial filter refuses addresses that carry
 * the path, so the filter is widened here.
 */
import { webSockets, type WebSocketsInit } from '@libp2p/websockets'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Transport } from '@libp2p/interface'

/** The address without its `http-path` part (what the stock filter understands). */
export function withoutHttpPath(ma: Multiaddr): Multiaddr {
  const parts = ma.getComponents()
  if (!parts.some((c) => c.name === 'http-path')) return ma
  return multiaddr(parts.filter((c) => c.name !== 'http-path'))
}

/**
 * A transport whose dial filter also accepts addresses with an `http-path`: the WebSockets
 * transport itself, and the circuit-relay and WebRTC transports, whose addresses embed the
 * relay's (`…/http-path/relay%2Fws/p2p/R/p2p-circuit/webrtc/p2p/T`).
 */
export function acceptHttpPath<C>(make: (components: C) => Transport): (components: C) => Transport {
  return (components) => {
    const t = make(components)
    const stock = t.dialFilter.bind(t)
    t.dialFilter = (addrs: Multiaddr[]) => addrs.filter((a) => stock([withoutHttpPath(a)]).length > 0)
    return t
  }
}

/** `webSockets()` whose dial filter also accepts addresses with an `http-path`. */
export function pathWebSockets(init: WebSocketsInit = {}): ReturnType<typeof webSockets> {
  return acceptHttpPath(webSockets(init))
}
