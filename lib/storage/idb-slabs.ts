/**
 * The IndexedDB event store's record layout (ADR 0069): the events of one write are kept as
 * slabs, one IndexedDB record of up to {@link SLAB_MAX_EVENTS} events whose bytes sit in one
 * buffer, instead of one record (and one request, one structured clone, one index entry in a
 * separate store) per event. Every event id stays findable through the multi-entry unique
 * index `ids`, whose keys are `room + ' ' + id` (ids and rooms are printable ASCII, so the
 * space cannot occur inside either and a room's keys form one string range).
 */
import { ownBytes, type StoredRecord } from './event-store'

/** Events per slab at most; a bigger write becomes several slabs in one transaction. */
export const SLAB_MAX_EVENTS = 512
/** Bytes per slab at most (a record this size is still written as one value). */
export const SLAB_MAX_BYTES = 1 << 20

/** One slab as stored: keyed by [room, id of its first event]. */
export interface Slab {
  room: string
  /** The id of the slab's first event: unique, since every id is in at most one slab. */
  id: string
  /** `room + ' ' + id` of each event: the multi-entry unique index `ids`. */
  keys: string[]
  lamports: Float64Array
  seqs: Float64Array
  authors: string[]
  kinds: string[]
  /** End offset of each event's bytes in {@link Slab.bytes}. */
  ends: Uint32Array
  bytes: Uint8Array
}

/** The key of an event in the `ids` index. */
export const idKey = (room: string, id: string): string => `${room} ${id}`

/** The `ids` index range of one room: every key that starts with `room + ' '`. */
export function roomIdRange(room: string): IDBKeyRange {
  // '!' is the next code unit after ' ', and every id character is '!' or above.
  return IDBKeyRange.bound(`${room} `, `${room}!`, false, true)
}

/** Splits records (ids already unique) into slab-sized runs. */
export function chunk(records: readonly StoredRecord[]): StoredRecord[][] {
  const out: StoredRecord[][] = []
  let run: StoredRecord[] = []
  let size = 0
  for (const r of records) {
    if (run.length > 0 && (run.length >= SLAB_MAX_EVENTS || size + r.bytes.byteLength > SLAB_MAX_BYTES)) {
      out.push(run)
      run = []
      size = 0
    }
    run.push(r)
    size += r.bytes.byteLength
  }
  if (run.length > 0) out.push(run)
  return out
}

/** The slab holding these records (at least one), their bytes copied into one buffer. */
export function toSlab(room: string, records: readonly StoredRecord[]): Slab {
  const n = records.length
  let total = 0
  for (const r of records) total += r.bytes.byteLength
  const bytes = new Uint8Array(total)
  const ends = new Uint32Array(n)
  const lamports = new Float64Array(n)
  const seqs = new Float64Array(n)
  const keys: string[] = new Array(n)
  const authors: string[] = new Array(n)
  const kinds: string[] = new Array(n)
  let at = 0
  for (let i = 0; i < n; i++) {
    const r = records[i]
    bytes.set(r.bytes, at)
    at += r.bytes.byteLength
    ends[i] = at
    keys[i] = idKey(room, r.id)
    lamports[i] = r.lamport
    seqs[i] = r.seq
    authors[i] = r.author
    kinds[i] = r.kind
  }
  return { room, id: records[0].id, keys, lamports, seqs, authors, kinds, ends, bytes }
}

/** The `i`th event of a slab as a record with its own copy of the bytes. */
export function recordAt(slab: Slab, i: number): StoredRecord {
  const start = i === 0 ? 0 : slab.ends[i - 1]
  return {
    id: slab.keys[i].slice(slab.room.length + 1),
    bytes: ownBytes(slab.bytes.subarray(start, slab.ends[i])),
    author: slab.authors[i],
    seq: slab.seqs[i],
    lamport: slab.lamports[i],
    kind: slab.kinds[i],
  }
}

/** Where an event sits: its slab and position, with the fields that order it. */
export interface SlabEntry {
  readonly lamport: number
  readonly id: string
  readonly slab: Slab
  readonly at: number
}

/** Every event of these slabs as an entry (bytes not copied yet). */
export function entries(slabs: readonly Slab[], into: SlabEntry[] = []): SlabEntry[] {
  for (const slab of slabs) {
    const cut = slab.room.length + 1
    for (let i = 0; i < slab.keys.length; i++) into.push({ lamport: slab.lamports[i], id: slab.keys[i].slice(cut), slab, at: i })
  }
  return into
}

/** Records in input order with later repeats of an id dropped (the first one is the one kept). */
export function firstOfEach(records: readonly StoredRecord[]): StoredRecord[] {
  const seen = new Set<string>()
  const out: StoredRecord[] = []
  for (const r of records) {
    if (seen.has(r.id)) continue
    seen.add(r.id)
    out.push(r)
  }
  return out
}
