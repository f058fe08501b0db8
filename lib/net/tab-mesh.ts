/**
 * Everything one browser tab runs on the mesh, started by the client provider (never at module
 * level): identity from IndexedDB, the libp2p node, the relay keeper, the WebRTC dialer and
 * presence. UI code sees only the callbacks; it never touches libp2p.
 */
import { acquireTabIdentity } from '../storage/identity-idb'
import { createBrowserNode } from './browser-node'
import { PresenceService, type PresenceSnapshot } from './presence/service'
import { RelayKeeper, type RelayState } from './relay-keeper'
import { WebRTCDialer } from './webrtc-dialer'
import { fetchRoomInfo, type RoomInfo } from './room-info'


export interface TabMeshCallbacks {
  onPresence(snapshot: PresenceSnapshot): void
  onRelayState(state: RelayState): void
}

export interface TabMesh {
  peerId: string
  room: RoomInfo
  setDisplayName(name: string): Promise<void>
  stop(): Promise<void>
}


/** Starts this tab's mesh node; resolves once libp2p has started. */
export async function startTabMesh(cb: TabMeshCallbacks): Promise<TabMesh> {
  const room = await fetchRoomInfo(location.origin)
  const identity = await acquireTabIdentity()
  try {
    const node = await createBrowserNode({ privateKey: identity.privateKey, room: room.room })
    const peerId = node.peerId.toString()
    const presence = new PresenceService(node, {
      room: room.room,
      self: { name: identity.name ?? `Reviewer ${peerId.slice(-6)}`, kind: 'human', role: 'reviewer' },
      intervalMs: room.presenceIntervalMs,
    })
    const keeper = new RelayKeeper(node, {
      addrs: async () => (await fetchRoomInfo(location.origin, 3000).catch(() => room)).relay.addrs,
      onState: cb.onRelayState,
    })
    const dialer = new WebRTCDialer(node)
    const unsubscribe = presence.subscribe(cb.onPresence)
    dialer.start()
    keeper.start()
    presence.start()
    cb.onPresence(presence.snapshot())
    return {
      peerId,
      room,
      async setDisplayName(name) {
        await identity.setName(name)
        presence.update({ name })
      },
      async stop() {
        unsubscribe()
        dialer.stop()
        keeper.stop()
        await presence.stop()
        await node.stop()
        identity.release()
      },
    }
  } catch (err) {
    identity.release()
    throw err
  }
}
