/**
 * The one ingest path of a peer (DESIGN §1, §5): every event — from gossip, from a sync round,
 * from the local user — goes through `ingest`/`author`, which validates and folds it in the
 * core replica and then stores it durably; only after the store has it does the call resolve,
 * so nothing is acknowledged (to the UI, the CLI or a publish) that a crash could lose.
 * Start-up replays the store before the first sync.
 */
import type { EncodedEvent } from '../core/events/envelope'
import type { EventKind, PayloadInput } from '../core/events/kinds'
import type { Signer, Verifier } from '../core/events/signer'
import type { RoomId } from '../core/ids'
import type { AddResult } from '../core/log/reasons'
import type { StoredEvent } from '../core/log/stored'
import { Replica } from '../core/state/replica'
import type { EventStore, StoredRecord } from '../storage/event-store'

export interface ReplicaHostInit {
  room: RoomId
  store: EventStore
  verifier: Verifier
  now?: () => number
}

const toRecord = (e: StoredEvent): StoredRecord => ({
  id: e.id,
  bytes: e.bytes,
  author: e.event.author,
  seq: e.event.seq,
  lamport: e.event.lamport,
  kind: e.event.kind,
})

/** See the module comment. */
export class ReplicaHost {
  readonly replica: Replica
  readonly room: RoomId
  private readonly store: EventStore
  private unsaved: StoredEvent[] = []
  private replaying = false
  private flushing: Promise<void> = Promise.resolve()
  private readonly listeners = new Set<() => void>()
  /** Events this host has stored since start (not counting the replay). */
  storedCount = 0

  constructor(init: ReplicaHostInit) {
    this.room = init.room
    this.store = init.store
    this.replica = new Replica({
      room: init.room,
      verifier: init.verifier,
      // Only when given: the log's defaults are spread under its init, so `now: undefined` would erase them.
      ...(init.now != null ? { now: init.now } : {}),
      onStored: (e) => {
        if (!this.replaying) this.unsaved.push(e)
      },
    })
  }

  /** Replays the store into the replica; resolves to the number of events loaded. */
  async load(): Promise<number> {
    this.replaying = true
    let n = 0
    try {
      for await (const batch of this.store.scan(this.room)) {
        for (const rec of batch) {
          await this.replica.add(rec.bytes)
          n++
        }
      }
    } finally {
      this.replaying = false
    }
    this.notify()
    return n
  }

  /** Adds events from the network; resolves once every newly stored one is durable. */
  async ingest(events: readonly Uint8Array[]): Promise<AddResult[]> {
    const results: AddResult[] = []
    for (const bytes of events) results.push(await this.replica.add(bytes))
    await this.flush()
    return results
  }

  /** Authors an event as `signer`; resolves once it is durable (then the caller may publish it). */
  async author<K extends EventKind>(signer: Signer, kind: K, payload: PayloadInput<K>): Promise<EncodedEvent> {
    const enc = await this.replica.author(signer, kind, payload)
    await this.flush()
    return enc
  }

  /** Calls `listener` after every change that reached the store; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Writes what is unsaved. Flushes are chained, so a caller whose events were picked up by a
   * write already in progress still waits for that write to finish.
   */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.unsaved
      if (batch.length === 0) return
      this.unsaved = []
      await this.store.putMany(this.room, batch.map(toRecord))
      this.storedCount += batch.length
      this.notify()
    })
    return this.flushing
  }

  private notify(): void {
    for (const l of this.listeners) l()
  }
}
