/**
 * The room a relay serves (DESIGN §3): created on first run — a genesis event signed with the
 * relay's key, so the relay is the room's owner — and found again in the store on later runs.
 */
import { decodeEvent } from '../core/events/codec'
import type { EncodedEvent } from '../core/events/envelope'
import type { Signer } from '../core/events/signer'
import { asEventId, type RoomId } from '../core/ids'
import { createGenesis } from '../core/log/author'
import type { EventStore } from '../storage/event-store'

/** The store's meta key marking the room a relay serves. */
export const SERVED_KEY = 'served'

export interface ServedRoom {
  room: RoomId
  genesis: EncodedEvent
  created: boolean
}

export interface RoomBootstrapOptions {
  name: string
  /** An open room admits anyone as a reviewer; fixed at creation. */
  open: boolean
}

/** Finds the room this relay serves in its store, or creates it. */
export async function openServedRoom(store: EventStore, owner: Signer, opts: RoomBootstrapOptions): Promise<ServedRoom> {
  for (const room of await store.rooms()) {
    if ((await store.getMeta(room, SERVED_KEY)) !== 'yes') continue
    const rec = await store.get(room, room)
    const decoded = rec && decodeEvent(rec.bytes)
    if (!decoded?.ok) throw new Error(`the store holds room ${room} but not its genesis event: the data directory is damaged`)
    return { room: asEventId(room), genesis: decoded.value, created: false }
  }
  const genesis = await createGenesis(owner, {
    name: opts.name,
    open: opts.open,
    config: {},
    owner: { displayName: 'relay', kind: 'agent', capabilities: [] },
  })
  const e = genesis.event
  await store.putMany(genesis.id, [{ id: genesis.id, bytes: genesis.bytes, author: e.author, seq: e.seq, lamport: e.lamport, kind: e.kind }])
  await store.setMeta(genesis.id, SERVED_KEY, 'yes')
  return { room: genesis.id, genesis, created: true }
}
