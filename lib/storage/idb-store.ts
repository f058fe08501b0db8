/**
 * The browser EventStore: IndexedDB through `idb` (ADR 0032).
 *
 * Its own database (`chorus-mesh-events`), apart from the identity database `chorus-mesh`, so
 * the two evolve their versions independently. Each putMany is one readwrite transaction with
 * `durability: 'strict'` unless the caller asks for `'relaxed'`, and resolves on `tx.done`:
 * browsers default to relaxed durability, which may lose a "committed" write on power loss, so
 * an event this tab authored is written strictly; events received from peers may be written
 * relaxed (ADR 0067: the author and the relay hold them durably, and sync brings back what a
 * power loss took). All tabs of a browser share the database: one of them writes the events
 * every tab of a room receives, the others wait for its notices (`idb-share.ts`, ADR 0119).
 * The events of one write are stored as numbered slabs (`idb-slabs.ts`, ADRs 0069, 0097): one
 * record per write and no index entry per event; which ids a room holds is learned from its
 * slabs (`idb-catalog.ts`).
 */
import { openDB, unwrap } from 'idb'
import type { EventStore } from './event-store'
import { IdbStore, type EventsDB } from './idb-connection'
import { toStoreError } from './idb-errors'
import { activeShare, type ShareInit } from './idb-share'
import { upgradeEventsDb } from './idb-upgrade'

/** Default IndexedDB database name of the event store. */
export const IDB_EVENTS_DB = 'chorus-mesh-events'
/** The IndexedDB schema version this build writes. */
export const IDB_SCHEMA_VERSION = 4

/** Options of {@link openIdbStore}. */
export interface IdbStoreInit {
  /** Database name (default {@link IDB_EVENTS_DB}); tests use one per case. */
  readonly name?: string
  /** How this connection shares writes with the browser's other tabs (default: Web Locks and BroadcastChannel where the browser has them); false: it writes everything itself. */
  readonly share?: ShareInit | false
}

/** Opens (creating or upgrading) the event database. */
export async function openIdbStore(init: IdbStoreInit = {}): Promise<EventStore> {
  const name = init.name ?? IDB_EVENTS_DB
  let store: IdbStore | undefined
  let upgradeFailed: unknown
  try {
    const db = await openDB<EventsDB>(name, IDB_SCHEMA_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // The caller hears of a failed upgrade from the open request; the transaction's own
        // promise is caught so that it is not an unhandled rejection besides.
        tx.done.catch(() => undefined)
        upgradeEventsDb(unwrap(db) as IDBDatabase, oldVersion, unwrap(tx) as IDBTransaction, (err) => {
          upgradeFailed = err
        })
      },
      // Another tab runs a newer build and wants to upgrade: step aside rather than block it.
      blocking() {
        store?.markClosed('another tab upgraded the event database; reload this tab')
      },
      terminated() {
        store?.markClosed('the browser closed the event database unexpectedly')
      },
    })
    store = new IdbStore(db, name, activeShare(init.share))
    return store
  } catch (err) {
    throw toStoreError(upgradeFailed ?? err, name, upgradeFailed === undefined ? 'open' : 'upgrade')
  }
}

/** Asks the browser not to evict the origin's storage under pressure; true if granted. */
export async function requestPersistentStorage(): Promise<boolean> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.persist !== 'function') return false
  return (await navigator.storage.persisted()) || navigator.storage.persist()
}
