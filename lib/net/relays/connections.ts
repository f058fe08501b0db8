/**
 * Connection settings for the nodes that hold a room together: relays (tens to hundreds of
 * connections each) and agents (two relays each, often many agents on one host). libp2p's
 * defaults suit a node that dials a few peers over the internet; a hub is another case (ADR 0028).
 */
import type { PingInit } from '@libp2p/ping'
import type { Libp2pInit } from 'libp2p'

/**
 * The ping protocol's settings. Two users share it on every connection: libp2p's connection
 * monitor (below) and the presence service's RTT probe. libp2p's ping allows one outbound and
 * two inbound ping streams per connection, and the connection monitor aborts the connection
 * when its ping cannot open a stream; so with those limits a presence ping still in flight when
 * the monitor's turn comes — common once a host is loaded and answers take seconds — closes a
 * live connection. Enough streams for both, with pings overlapping while answers are slow; and
 * the answering side waits as long as the monitor does (libp2p's 10 s would reset slow pings
 * that the monitor still accepts).
 */
export const pingSettings = { maxOutboundStreams: 8, maxInboundStreams: 16, timeout: 30_000 } satisfies PingInit

/**
 * libp2p's connection monitor pings every connection every 10 s and aborts the connection when
 * a ping takes longer than its adaptive timeout (5 s at least). A loaded relay or agent host
 * answers late without being gone, and every abort costs more than the wait it saves: the peer
 * redials (noise, identify, gossip subscriptions, a circuit reservation), its sync rounds and
 * queued gossip on the old connection fail, and the redials load the host further, so more pings
 * miss and more connections drop. A ping that has not come back in
 * 30 s still ends the connection: a host that vanished (power, a cut link) is found within ~40 s.
 */
export const patientConnectionMonitor: NonNullable<Libp2pInit['connectionMonitor']> = {
  pingInterval: 10_000,
  pingTimeout: { minTimeout: 30_000, maxTimeout: 60_000 },
  abortConnectionOnPingFailure: true,
}

/**
 * A relay's inbound limits. libp2p refuses more than 5 new connections per second from one IP
 * address and more than 10 handshakes in progress; behind a reverse proxy (every connection comes
 * from the proxy's address), on one NAT, or after a relay restart when all its peers redial at
 * once, that refuses members, which then back off and retry for tens of seconds. The relay's
 * own connection cap and the reservation gate still bound what strangers can take.
 */
export const relayInboundLimits = {
  inboundConnectionThreshold: 200,
  maxIncomingPendingConnections: 100,
} satisfies NonNullable<Libp2pInit['connectionManager']>
