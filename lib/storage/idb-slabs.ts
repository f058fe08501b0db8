/**
 * The IndexedDB event store's record layout (ADRs 0069, 0097): the events of one write are kept
 * as slabs, one IndexedDB record of up to {@link SLAB_MAX_EVENTS} events whose bytes sit in one
 * buffer, instead of one record (and one request, one structured clone, one index entry) per
 * event. A room's slabs are numbered 1, 2, 3… in the order they were committed, with no gaps;
 * the key `[room, n]` is all IndexedDB indexes, so a write of 256 events is one record and no
 * index entry per event. Which ids a room holds is known from its slabs (`idb-catalog.ts`).
 */
import { ownBytes, type StoredRecord } from './event-store'

/** Events per slab at most; a bigger write becomes several slabs in one transaction. */
export const SLAB_MAX_EVENTS = 512
/** Bytes per slab at most (a record this size is still written as one value). */
export const SLAB_MAX_BYTES = 1 << 20

/** One slab as stored: keyed by [room, n]. */
export interface Slab {
  room: string
  /** The slab's place in its room's commit order: 1, 2, 3… without gaps. */
  n: number
  ids: string[]
  lamports: Float64Array
  seqs: Float64Array
  authors: string[]
  kinds: string[]
  /** End offset of each event's bytes in {@link Slab.bytes}. */
  ends: Uint32Array
  bytes: Uint8Array
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

/** Slab `n` of `room` holding these records (at least one), their bytes copied into one buffer. */
export function toSlab(room: string, n: number, records: readonly StoredRecord[]): Slab {
  const count = records.length
  let total = 0
  for (const r of records) total += r.bytes.byteLength
  const bytes = new Uint8Array(total)
  const ends = new Uint32Array(count)
  const lamports = new Float64Array(count)
  const seqs = new Float64Array(count)
  const ids: string[] = new Array(count)
  const authors: string[] = new Array(count)
  const kinds: string[] = new Array(count)
  let at = 0
  for (let i = 0; i < count; i++) {
    const r = records[i]
    bytes.set(r.bytes, at)
    at += r.bytes.byteLength
    ends[i] = at
    ids[i] = r.id
    lamports[i] = r.lamport
    seqs[i] = r.seq
    authors[i] = r.author
    kinds[i] = r.kind
  }
  return { room, n, ids, lamports, seqs, authors, kinds, ends, bytes }
}

/** The `i`th event of a slab as a record with its own copy of the bytes. */
export function recordAt(slab: Slab, i: number): StoredRecord {
  const start = i === 0 ? 0 : slab.ends[i - 1]
  return {
    id: slab.ids[i],
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
    for (let i = 0; i < slab.ids.length; i++) into.push({ lamport: slab.lamports[i], id: slab.ids[i], slab, at: i })
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
