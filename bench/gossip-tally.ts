/**
 * Counts a peer's gossipsub bytes by what they carry: messages per topic, IHAVE, IWANT, GRAFT,
 * PRUNE, IDONTWANT and subscriptions, sent and received, split by the kind of peer on the
 * other end. The scale benchmarks read it on the relays: every byte an agent sends or receives
 * crosses one of them, so the relays' tallies name where idle traffic goes. Sizes are the
 * protobuf fields' own lengths plus their tags (the few bytes of framing per RPC are left out),
 * computed from the decoded RPC so the count costs no second encoding.
 */

interface Msg { topic?: string; data?: Uint8Array; seqno?: Uint8Array; from?: Uint8Array; signature?: Uint8Array; key?: Uint8Array }
interface Control {
  ihave?: { topicID?: string; messageIDs?: Uint8Array[] }[]
  iwant?: { messageIDs?: Uint8Array[] }[]
  graft?: { topicID?: string }[]
  prune?: { topicID?: string; peers?: unknown[] }[]
  idontwant?: { messageIDs?: Uint8Array[] }[]
}
interface Rpc { subscriptions?: { topic?: string }[]; messages?: Msg[]; control?: Control }

/** A length-delimited protobuf field of `n` bytes: tag, varint length, bytes. */
const field = (n: number): number => 2 + (n < 128 ? 1 : n < 16384 ? 2 : 3) + n
const ids = (xs: Uint8Array[] | undefined): number => (xs ?? []).reduce((s, x) => s + field(x.byteLength), 0)
const str = (s: string | undefined): number => field(s?.length ?? 0)

/** The last path segment of a room topic (events, presence, discovery), or the topic itself. */
const topicKind = (topic: string | undefined): string => topic?.split('/').pop() ?? 'none'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

/**
 * Adds the bytes of each part of `rpc` to `into` under `prefix:kind`. With `seen` (the messages
 * already sent to this peer), a message sent again is also counted under `prefix:dup.<topic>`.
 */
export function tallyRpc(rpc: Rpc, prefix: string, into: Record<string, number>, seen?: Set<string>): void {
  const add = (k: string, n: number) => {
    if (n > 0) into[`${prefix}:${k}`] = (into[`${prefix}:${k}`] ?? 0) + n
  }
  for (const m of rpc.messages ?? []) {
    const n = [m.data, m.seqno, m.from, m.signature, m.key].reduce((s, b) => s + (b == null ? 0 : field(b.byteLength)), str(m.topic))
    add(`msg.${topicKind(m.topic)}`, field(n))
    if (seen != null && m.data != null) {
      // A heartbeat or event starts with its signature: its first 32 bytes name it.
      const key = hex(m.data.subarray(0, 32))
      if (seen.has(key)) add(`dup.${topicKind(m.topic)}`, field(n))
      else seen.add(key)
    }
  }
  add('subscriptions', (rpc.subscriptions ?? []).reduce((s, x) => s + field(2 + str(x.topic)), 0))
  const c = rpc.control
  if (c == null) return
  add('ihave', (c.ihave ?? []).reduce((s, x) => s + field(str(x.topicID) + ids(x.messageIDs)), 0))
  add('iwant', (c.iwant ?? []).reduce((s, x) => s + field(ids(x.messageIDs)), 0))
  add('graft', (c.graft ?? []).reduce((s, x) => s + field(str(x.topicID)), 0))
  add('prune', (c.prune ?? []).reduce((s, x) => s + field(str(x.topicID) + 4 + 40 * (x.peers?.length ?? 0)), 0))
  add('idontwant', (c.idontwant ?? []).reduce((s, x) => s + field(ids(x.messageIDs)), 0))
}

/** What the tally patches on a gossipsub instance (implementation methods, not its interface). */
interface Patchable {
  sendRpc(id: string, rpc: Rpc): boolean
  sendRpcInBatch(ids: Set<string>, rpc: Rpc): void
  handleReceivedRpc(from: { toString(): string }, rpc: Rpc): Promise<void>
}

/**
 * Starts counting `pubsub`'s gossip bytes; `classify` names the kind of peer (e.g. `relay` or
 * `agent`). Keys are `sent.<class>:<kind>` and `recv.<class>:<kind>`; `reset()` zeroes them and starts
 * counting repeated sends (`dup.<topic>`).
 */
export function tallyGossip(pubsub: unknown, classify: (peerId: string) => string): { counts(): Record<string, number>; reset(): void } {
  let counts: Record<string, number> = {}
  // What was sent to each peer since the last reset (none before the first: set-up is long).
  let sentTo: Map<string, Set<string>> | undefined
  const seenBy = (id: string): Set<string> | undefined => {
    if (sentTo == null) return undefined
    const s = sentTo.get(id) ?? new Set<string>()
    sentTo.set(id, s)
    return s
  }
  const g = pubsub as Patchable
  const send = g.sendRpc.bind(g)
  const batch = g.sendRpcInBatch.bind(g)
  const recv = g.handleReceivedRpc.bind(g)
  g.sendRpc = (id, rpc) => {
    // Measured after the send: gossipsub piggybacks pending control and IHAVEs onto `rpc` there.
    const sent = send(id, rpc)
    if (sent) tallyRpc(rpc, `sent.${classify(id)}`, counts, seenBy(id))
    return sent
  }
  g.sendRpcInBatch = (tosend, rpc) => {
    batch(tosend, rpc)
    for (const id of tosend) tallyRpc(rpc, `sent.${classify(id)}`, counts, seenBy(id))
  }
  g.handleReceivedRpc = (from, rpc) => {
    tallyRpc(rpc, `recv.${classify(from.toString())}`, counts)
    return recv(from, rpc)
  }
  return {
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {}
      sentTo = new Map()
    },
  }
}

/**
 * Idle traffic by kind, from the relays' gossip tallies and the sync services' counters. Every
 * agent's gossip crosses a relay, so agent ↔ relay bytes are what the relays sent to and received
 * from agents; relay ↔ relay bytes are what each relay sent to the others (counting receipts too
 * would count them twice). Sync is every sync service's bytes sent, relays' and agents'.
 */
export function idleBreakdown(tallies: { counts: Record<string, number>; syncSent: number }[], agentSyncSent: number, perAgent: (bytes: number) => number): Record<string, number> {
  const sum: Record<string, number> = {}
  for (const { counts } of tallies) {
    for (const [key, bytes] of Object.entries(counts)) {
      if (key.startsWith('recv.relay:')) continue
      const [dir, kind] = key.split(':')
      const k = `${dir.endsWith('relay') ? 'relay-relay' : dir === 'sent.agent' ? 'to-agents' : 'from-agents'} ${kind}`
      sum[k] = (sum[k] ?? 0) + bytes
    }
  }
  sum['sync (all)'] = tallies.reduce((s, t) => s + t.syncSent, 0) + agentSyncSent
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(sum).sort(([, a], [, b]) => b - a)) out[k] = perAgent(v)
  return out
}
