/** What a relay is started with, and the checks that turn bad operator input into clear errors. */
import { readFileSync } from 'node:fs'
import { multiaddr } from '@multiformats/multiaddr'
import type { IceServer } from '../../net/room-info'
import type { PeerLimits } from '../../net/rate-limit'
import type { Logger } from '../log'

export interface RelayOptions {
  dataDir: string
  host: string
  /** libp2p WebSockets port. */
  port: number
  httpPort: number
  tcpPort?: number
  presenceIntervalMs: number
  syncIntervalMs?: number
  /** Multiaddrs advertised in `/api/room` and identify instead of the listen addresses. */
  announce?: string[]
  /** PEM files: the relay serves wss:// and https:// itself. */
  tls?: { certFile: string; keyFile: string }
  /** STUN/TURN servers handed to tabs with the room info. */
  iceServers?: IceServer[]
  /** Browser origins allowed to call the HTTP API (`*` for any). @default none (same origin) */
  corsOrigins?: string[]
  /** Where people open the app (join links in the admin API). */
  publicUrl?: string
  /** Bearer token of the admin API. @default `<data>/admin.token`, made on first start */
  adminToken?: string
  /** Bearer token for `/api/*` and `/metrics`. */
  apiToken?: string
  /** On stop, `/readyz` answers 503 this long before the listeners close. @default 0 */
  drainMs?: number
  /** Guests (not yet members) holding circuit-relay reservations at once. @default 64 */
  maxGuestReservations?: number
  /** Used only when the room is created (first run). */
  roomName?: string
  /** Used only when the room is created: an open room admits anyone as a reviewer. */
  open?: boolean
  /** Per-peer gossip budget (events and bytes per second). */
  peerLimits?: PeerLimits
  /** POST each finished session's outcome here once. @default env CHORUS_OUTCOME_WEBHOOK */
  outcomeWebhook?: string
  /** POST each new escalation or approval request here once. @default env CHORUS_ESCALATION_WEBHOOK */
  escalationWebhook?: string
  /** Structured logs. @default silent */
  log?: Logger
  /** Relays (HTTP URLs or multiaddrs) of the room to join instead of creating one (relay-mesh/join.ts). */
  join?: string[]
  /** Invite a joining relay redeems when its key is not a member yet (an admin invite). */
  invite?: string
  /** Operator messages about the room's relays (joining, a relay serving another room). @default the structured log */
  onLog?: (level: 'info' | 'warn' | 'error', message: string) => void
}

/** Reads the certificate and key named by the options; an error names the file. */
export function readTls(tls: RelayOptions['tls']): { cert: Buffer; key: Buffer } | undefined {
  if (tls == null) return undefined
  const read = (what: string, file: string) => {
    try {
      return readFileSync(file)
    } catch (err) {
      throw new Error(`--${what} ${file}: ${(err as Error).message}`)
    }
  }
  return { cert: read('tls-cert', tls.certFile), key: read('tls-key', tls.keyFile) }
}

/** Both TLS files or neither. */
export function tlsFiles(cert: string | undefined, key: string | undefined): RelayOptions['tls'] {
  if (cert == null && key == null) return undefined
  if (cert == null || key == null) throw new Error('--tls-cert and --tls-key go together: give both or neither')
  return { certFile: cert, keyFile: key }
}

/**
 * Checks announce addresses: each must parse as a multiaddr and be one a browser or agent can
 * dial (WebSockets, optionally TLS and an `http-path` behind a proxy, or TCP for Node peers).
 */
export function checkAnnounce(addrs: string[]): string[] {
  return addrs.map((a) => {
    let ma
    try {
      ma = multiaddr(a)
    } catch (err) {
      throw new Error(`--announce ${a}: not a multiaddr (${(err as Error).message}); e.g. /dns4/chorus.example.com/tcp/443/tls/ws`)
    }
    const names = ma.getComponents().map((c) => c.name)
    if (!['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(names[0]) || names[1] !== 'tcp') {
      throw new Error(`--announce ${a}: expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/…`)
    }
    if (names.includes('p2p')) throw new Error(`--announce ${a}: leave out /p2p/…; the relay adds its own peer id`)
    return ma.toString()
  })
}
