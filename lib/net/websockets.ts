/**
 * The WebSockets transport, also for relays behind a reverse proxy under a path: an address
 * such as `/dns4/chorus.example.com/tcp/443/tls/ws/http-path/relay%2Fws` dials
 * `wss://chorus.example.com/relay/ws`. The stock transport already builds that URL (its
 * multiaddr-to-URI step reads `http-path`) but its dial filter refuses addresses that carry
 * the path, so the filter is widened here.
 */
import { webSockets, type WebSocketsInit } from '@libp2p/websockets'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Listener, Transport } from '@libp2p/interface'
import { oneMessagePerWrite } from './ws-messages'

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

/** `webSockets()` whose dial filter also accepts addresses with an `http-path`, one message per write (ws-messages.ts). */
export function pathWebSockets(init: WebSocketsInit = {}): ReturnType<typeof webSockets> {
  return acceptHttpPath(oneMessagePerWrite(webSockets(init)))
}

/** A tab's own circuit listen address (`…/p2p/R/p2p-circuit`), through a proxy's path (`…/http-path/…`) or not. */
function circuitKind(ma: Multiaddr): 'path' | 'plain' | undefined {
  const names = ma.getComponents().map((c) => c.name)
  if (names.at(-1) !== 'p2p-circuit' || names.at(-2) !== 'p2p') return undefined
  return names.includes('http-path') ? 'path' : 'plain'
}

/** What the stock WebRTC listener has beyond the Listener interface (its event hook). */
type WebRTCListener = Listener & { onTransportListening(event: CustomEvent<Listener>): void }

/**
 * The WebRTC transport for a tab whose relay sits behind a proxy under a path. Its listener
 * derives the tab's `/webrtc` addresses from the circuit ones with a matcher that does not
 * know `http-path`, so such a tab would advertise none and no other tab could reach it
 * directly; this adds those addresses (and the listening signal) the stock listener skips.
 */
export function pathWebRTC<C extends { transportManager: { getListeners(): Listener[] } }>(make: (components: C) => Transport): (components: C) => Transport {
  return acceptHttpPath((components: C) => {
    const t = make(components)
    const create = t.createListener.bind(t)
    t.createListener = (opts) => {
      const l = create(opts) as unknown as WebRTCListener
      const circuits = (from: Listener[], kind: 'path' | 'plain') => from.filter((x) => x !== l).flatMap((x) => x.getAddrs()).filter((ma) => circuitKind(ma) === kind)
      const stockAddrs = l.getAddrs.bind(l)
      l.getAddrs = () => {
        const stock = stockAddrs()
        const known = new Set(stock.map((a) => a.toString()))
        const added = circuits(components.transportManager.getListeners(), 'path').map((ma) => ma.encapsulate('/webrtc')).filter((a) => !known.has(a.toString()))
        return [...stock, ...added]
      }
      const stockListening = l.onTransportListening
      // Replaced before listen() registers it (the constructor bound the stock one). The stock
      // hook already signals when the listener has plain circuit addresses.
      l.onTransportListening = (event) => {
        stockListening(event)
        if (circuits([event.detail], 'plain').length === 0 && circuits([event.detail], 'path').length > 0) l.safeDispatchEvent('listening')
      }
      return l
    }
    return t
  })
}
