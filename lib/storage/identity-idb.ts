/**
 * A tab's identity, kept in IndexedDB so a reload keeps the same peer id (DESIGN §5).
 *
 * Tabs of one browser share IndexedDB, but every tab must be its own peer. So identities live
 * in numbered slots and a tab holds its slot with a Web Lock for as long as it is open: a
 * reload releases and takes back the same slot (remembered in sessionStorage), a second tab
 * finds slot 0 locked and takes slot 1, and a browser restart finds slot 0 again.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

interface ChorusDB extends DBSchema {
  identities: { key: number; value: { slot: number; key: Uint8Array; name?: string } }
}

const DB_NAME = 'chorus-mesh'
const SLOT_KEY = 'chorus-mesh:slot'
const MAX_SLOTS = 64

export interface TabIdentity {
  slot: number
  privateKey: PrivateKey
  name?: string
  /** Saves a new display name for this identity. */
  setName(name: string): Promise<void>
  /**
   * Replaces this slot's key with a fresh one (the name stays): the next start of the tab is a
   * new peer. Used when an invite asks for a role this identity cannot be given any more.
   */
  renew(): Promise<void>
  /** Releases the slot (the tab is closing or the provider unmounts). */
  release(): void
}

function open(): Promise<IDBPDatabase<ChorusDB>> {
  return openDB<ChorusDB>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('identities', { keyPath: 'slot' })
    },
  })
}

/** Takes the first free identity slot (preferring this tab's previous one) and loads or creates its key. */
export async function acquireTabIdentity(): Promise<TabIdentity> {
  const { slot, release } = await lockSlot()
  const db = await open()
  let record = await db.get('identities', slot)
  if (record == null) {
    const key = await generateKeyPair('Ed25519')
    record = { slot, key: privateKeyToProtobuf(key) }
    await db.put('identities', record)
  }
  const privateKey = privateKeyFromProtobuf(record.key)
  return {
    slot,
    privateKey,
    name: record.name,
    async setName(name) {
      const current = await db.get('identities', slot)
      if (current != null) await db.put('identities', { ...current, name })
    },
    async renew() {
      const fresh = await generateKeyPair('Ed25519')
      const current = await db.get('identities', slot)
      await db.put('identities', { slot, key: privateKeyToProtobuf(fresh), ...(current?.name != null ? { name: current.name } : {}) })
    },
    release() {
      release()
      db.close()
    },
  }
}

async function lockSlot(): Promise<{ slot: number; release: () => void }> {
  const preferred = Number(sessionStorage.getItem(SLOT_KEY) ?? '0')
  const order = [preferred, ...Array.from({ length: MAX_SLOTS }, (_, i) => i).filter((i) => i !== preferred)]
  if (typeof navigator.locks?.request !== 'function') {
    // No Web Locks (very old browser): one identity per tab session is the best we can do.
    sessionStorage.setItem(SLOT_KEY, String(preferred))
    return { slot: preferred, release: () => {} }
  }
  for (const slot of order) {
    const release = await tryLock(`${DB_NAME}:identity:${slot}`)
    if (release != null) {
      sessionStorage.setItem(SLOT_KEY, String(slot))
      return { slot, release }
    }
  }
  throw new Error(`more than ${MAX_SLOTS} Chorus Mesh tabs are open in this browser`)
}

/** Takes a Web Lock if it is free; the lock is held until the returned function is called. */
function tryLock(name: string): Promise<(() => void) | undefined> {
  return new Promise((resolve) => {
    void navigator.locks.request(name, { ifAvailable: true }, (lock) => {
      if (lock == null) {
        resolve(undefined)
        return
      }
      return new Promise<void>((done) => resolve(done))
    })
  })
}
