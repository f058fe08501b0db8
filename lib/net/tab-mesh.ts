/**
 * Everything one browser tab runs on the mesh, started by the client provider (never at module
 * level): identity from IndexedDB, the libp2p node, the relay keeper, the WebRTC dialer,
 * presence, and the room's replica (IndexedDB store, gossip, sync, membership). UI code sees
 * only the callbacks and the returned handle; it never touches libp2p.
 */
import type { EncodedEvent } from '../core/events/envelope'
import type { EventKind, PayloadInput } from '../core/events/kinds'
import { asEventId, asPeerId } from '../core/ids'
import { selectRole } from '../core/state/selectors'
import type { ActivityItem } from '../core/state/activity'
import type { Replica } from '../core/state/replica'
import type { RoomState } from '../core/state/types'
import { acquireTabIdentity } from '../storage/identity-idb'
import { openIdbStore } from '../storage/idb-store'
import { createBrowserNode } from './browser-node'
import { issuerJoinOf, signNewInvite, type NewInvite } from './invites'
import { ensureMember, type JoinOutcome } from './membership'
import { PresenceService, type PresenceSnapshot } from './presence/service'
import { authorityPresence } from './presence/members'
import type { RelayState, WrongRoom } from './relays/pool'
import { tabRelays } from './relays/tab'
import { fetchRoomInfo, roomInfoSchema, type RoomInfo } from './room-info'
import { RoomPeer } from './room-peer'
import { RecentActivity } from './tab-activity'
import { tabMessageIds } from './tab-message-id'
import { webCryptoSigner } from './tab-signer'
import { discoveryTopic } from './topics'
import type { SyncStats } from './sync/service'
import { wasmSha256 } from './wasm-sha256'
import { WebRTCDialer } from './webrtc-dialer'

/** What the UI learns about the replica after every stored change. */
export interface ReplicaInfo {
  state: RoomState
  root: string
  events: number
  pending: number
  /** Peers whose events we rejected, by reason, and equivocating authors with their evidence. */
  flags: PeerFlags
  /** The latest events in words, newest first (the overview's activity feed). */
  recent: ActivityItem[]
}

export interface PeerFlags {
  rejectedFrom: Record<string, Record<string, number>>
  equivocators: Array<{ peerId: string; fromSeq: number; evidence: string[] }>
}

export interface TabMeshCallbacks {
  onPresence(snapshot: PresenceSnapshot): void
  onRelayState(state: RelayState): void
  /**
   * The replica changed; `read` makes the report (the Merkle root, the feed's descriptions: not
   * free), so a caller that shows fewer changes than happen calls it only for those it shows.
   */
  onReplica(read: () => ReplicaInfo): void
  onSync(stats: SyncStats): void
  onMembership(outcome: JoinOutcome): void
  /** A relay this tab reached serves another room (it is not used). */
  onWrongRoom?(w: WrongRoom): void
}

/** The handle the UI keeps: actions, no libp2p. */
export interface TabMesh {
  peerId: string
  room: RoomInfo
  /** Redeems an invite (from `/join#invite=…`); resolves to the outcome. */
  join(invite?: string): Promise<JoinOutcome>
  /**
   * Signs an event as this tab, stores it durably, then publishes it; resolves once stored
   * (the UI may acknowledge then). Throws EventRejectedError when the room refuses it.
   */
  author<K extends EventKind>(kind: K, payload: PayloadInput<K>): Promise<EncodedEvent>
  /** Signs an invite as this tab (an admin) and records it with `invite.issued`; resolves to its text. */
  issueInvite(o: NewInvite & { label?: string }): Promise<string>
  setDisplayName(name: string): Promise<void>
  /**
   * Retires this identity: signs `member.left` if it is a member, then gives the tab's slot a
   * fresh key, so the next start is a new peer that can redeem an invite for another role.
   */
  retire(reason: string): Promise<void>
  stop(): Promise<void>
}

/** Options for `startTabMesh`. */
export interface TabMeshOptions {
  /**
   * True while an invite waits to be redeemed: the automatic join at start is skipped, so an
   * open room does not make the tab a reviewer before the invite gives it its role.
   */
  invitePending?: () => boolean
}

/**
 * Who a beat is from, read from the replica's authority index as agents and relays read it: a
 * member beats every interval, and reading the folded state would run the replay that late
 * events owe once per beat.
 */
export function tabMembers(replica: Pick<Replica, 'authority'>): ReturnType<typeof authorityPresence> {
  return authorityPresence((id) => replica.authority.member(id))
}

const ROOM_INFO_KEY = 'chorus-mesh:room-info'

/** Where this app is served, path prefix included (its `/api/room` lives under it). */
const appBase = () => location.origin + (process.env.NEXT_PUBLIC_CHORUS_BASE_PATH ?? '')

/**
 * The room from the relay, remembered for the next load: when the relay is down, a reload
 * still opens the stored room and shows it without waiting for any peer (DESIGN §5).
 */
async function roomInfo(): Promise<RoomInfo> {
  try {
    const room = await fetchRoomInfo(appBase())
    localStorage.setItem(ROOM_INFO_KEY, JSON.stringify(room))
    return room
  } catch (err) {
    const cached = roomInfoSchema.safeParse(JSON.parse(localStorage.getItem(ROOM_INFO_KEY) ?? 'null'))
    if (cached.success) return cached.data
    throw err
  }
}

/** Starts this tab's mesh node and replica; resolves once the stored room is loaded. */
export async function startTabMesh(cb: TabMeshCallbacks, opts: TabMeshOptions = {}): Promise<TabMesh> {
  const room = await roomInfo()
  const identity = await acquireTabIdentity()
  const cleanup: Array<() => unknown> = [() => identity.release()]
  try {
    const store = await openIdbStore()
    cleanup.unshift(() => store.close())
    // The relay keeper needs the node; until it exists no relay serves the tab.
    let serving: () => readonly string[] = () => []
    // One synchronous hash for gossip's message ids and the log's event ids, each event hashed once.
    const wasm = await wasmSha256()
    const ids = wasm && tabMessageIds(wasm)
    const node = await createBrowserNode({ privateKey: identity.privateKey, room: room.room, iceServers: room.iceServers, relays: () => serving(), msgIdFn: ids?.msgIdFn })
    cleanup.unshift(() => node.stop())
    const peerId = node.peerId.toString()
    const signer = webCryptoSigner(identity.privateKey)
    const peer = new RoomPeer({ node, room: asEventId(room.room), store, signer, sha256: ids?.sha256, onRound: () => cb.onSync({ ...peer.sync.stats }) })
    let name = identity.name ?? `Reviewer ${peerId.slice(-6)}`
    const presence = new PresenceService(node, {
      signer,
      room: room.room,
      members: tabMembers(peer.host.replica),
      self: { name, kind: 'human', role: 'guest' },
      intervalMs: room.presenceIntervalMs,
    })
    // While this tab authors, the views wait until the event is published: a render scheduled
    // by the report would otherwise run before the publish and delay every other peer.
    let authoring = 0
    let deferred = false
    const activity = new RecentActivity()
    const author = async <K extends EventKind>(kind: K, payload: PayloadInput<K>): Promise<EncodedEvent> => {
      authoring++
      try {
        return await peer.author(kind, payload)
      } finally {
        if (--authoring === 0 && deferred) {
          deferred = false
          report()
        }
      }
    }
    const r = peer.host.replica
    const read = (): ReplicaInfo => {
      const flags: PeerFlags = {
        rejectedFrom: Object.fromEntries(peer.gossip.rejectedFrom),
        equivocators: [...r.log.quarantined()].map(([peerId, fromSeq]) => ({ peerId, fromSeq, evidence: r.log.idsAt(peerId, fromSeq) })),
      }
      const recent = activity.of(r.state, peer.host.recent(30))
      return { state: r.state, root: r.summary().root, events: r.log.size, pending: r.log.pendingCount, flags, recent }
    }
    const report = () => {
      if (authoring > 0) return void (deferred = true)
      cb.onReplica(read)
    }
    // The root a beat announces is read when the beat goes out, not after every change.
    presence.trackRoot(() => r.summary().root)
    // Shown once folded, before the write of received events lands (ADR 0067).
    cleanup.unshift(peer.host.subscribeFolded(report))
    await peer.start()
    report()
    const keeper = tabRelays(node, room, () => fetchRoomInfo(appBase(), 3000), cb.onRelayState, cb.onWrongRoom)
    serving = () => keeper.connected()
    const dialer = new WebRTCDialer(node, { announcements: { pubsub: node.services.pubsub, topic: discoveryTopic(room.room) } })
    cleanup.unshift(presence.subscribe(cb.onPresence))
    dialer.start()
    keeper.start()
    presence.start()
    cb.onPresence(presence.snapshot())

    const join = async (invite?: string): Promise<JoinOutcome> => {
      const outcome = await ensureMember(peer, { displayName: name, kind: 'human', invite })
      if (outcome.status === 'member') presence.update({ role: outcome.role })
      cb.onMembership(outcome)
      return outcome
    }
    // Already a member, or an open room: join without asking. Otherwise stay a guest.
    if (!opts.invitePending?.()) join().catch(() => cb.onMembership({ status: 'guest', reason: 'the room has not arrived yet' }))

    return {
      peerId,
      room,
      join,
      author,
      async issueInvite({ label, ...o }) {
        const issuerJoin = issuerJoinOf(peer.host.replica.state, peerId)
        const { body, text } = await signNewInvite(asEventId(room.room), signer, { ...o, issuerJoin })
        await author('invite.issued', { invite: body, ...(label ? { label } : {}) })
        return text
      },
      async setDisplayName(next) {
        name = next
        await identity.setName(next)
        presence.update({ name: next })
      },
      async retire(reason) {
        if (selectRole(peer.host.replica.state, asPeerId(peerId)) != null) await author('member.left', { reason })
        await identity.renew()
      },
      async stop() {
        dialer.stop()
        keeper.stop()
        await presence.stop()
        await peer.stop()
        for (const c of cleanup) await c()
      },
    }
  } catch (err) {
    for (const c of cleanup) await Promise.resolve(c()).catch(() => undefined)
    throw err
  }
}
