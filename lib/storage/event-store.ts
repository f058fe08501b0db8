/**
 * The EventStore: where a peer keeps every event of its rooms (DESIGN §5, ADR 0030).
 *
 * Events are opaque bytes to the store. The caller passes the few fields the store indexes
 * (author, seq, lamport, kind); the store never decodes or verifies an event, so it stays
 * independent of lib/core and of any envelope version. Three implementations share one
 * contract suite (`event-store.contract.ts`): memory, SQLite (Node) and IndexedDB (browser).
 */

/** One stored event: its content-addressed id, its encoded bytes and the indexed fields. */
export interface StoredRecord {
  /** Content-addressed id (a CID string). Printable ASCII, at most {@link MAX_ID_LENGTH} chars. */
  readonly id: string
  /** The encoded, signed envelope, returned byte-identical. */
  readonly bytes: Uint8Array
  readonly author: string
  /** Per-author sequence number. Not unique: two records with one (author, seq) are equivocation evidence and both are kept. */
  readonly seq: number
  /** Lamport clock; with `id` as tie-break it gives the replay order. */
  readonly lamport: number
  readonly kind: string
}

/** A position in a room's (lamport, id) order; scanning resumes strictly after it. */
export interface StoreCursor {
  readonly lamport: number
  readonly id: string
}

/** Options for {@link EventStore.scan}. */
export interface ScanOptions {
  /** Records per batch (default {@link DEFAULT_BATCH_SIZE}). */
  readonly batchSize?: number
  /** Start strictly after this position. */
  readonly after?: StoreCursor
}

/** A metadata value: text or bytes, returned as the same type. */
export type MetaValue = string | Uint8Array

/** Options of {@link EventStore.putMany}. */
export interface PutOptions {
  /**
   * `strict` (default): resolved means durable, a power loss included. `relaxed`: resolved means
   * committed and seen by every later read and by a restarted process, but an OS crash or power
   * loss right after may still lose it — for events received from peers, who hold them too
   * (ADR 0067). A store whose writes cost the same either way may treat both as strict.
   */
  readonly durability?: 'strict' | 'relaxed'
}

/** Durable storage of the events of many rooms, plus small per-room metadata. */
export interface EventStore {
  /**
   * Stores the records in one atomic write. When the promise resolves they are durable, so
   * only then may the caller acknowledge them. Idempotent per (room, id): a record already
   * stored is kept as it is. Resolves to the number of records that were new. See
   * {@link PutOptions} for what `durability: 'relaxed'` weakens.
   */
  putMany(room: string, records: readonly StoredRecord[], options?: PutOptions): Promise<number>
  /** Whether the room holds a record with this id. */
  has(room: string, id: string): Promise<boolean>
  /** The record with this id, or undefined. */
  get(room: string, id: string): Promise<StoredRecord | undefined>
  /** Every record of the room in (lamport, id) order — start-up replays this into the replica. */
  loadAll(room: string): Promise<StoredRecord[]>
  /** The room's records in (lamport, id) order, in batches, so 50k+ events need not sit in one array. */
  scan(room: string, options?: ScanOptions): AsyncIterable<StoredRecord[]>
  /** Number of records in the room. */
  count(room: string): Promise<number>
  /** A metadata value of the room (e.g. its genesis id, this peer's membership), or undefined. */
  getMeta(room: string, key: string): Promise<MetaValue | undefined>
  /** Sets (durably) a metadata value of the room. */
  setMeta(room: string, key: string, value: MetaValue): Promise<void>
  /** Removes a metadata value of the room (no-op if absent). */
  deleteMeta(room: string, key: string): Promise<void>
  /** Rooms that hold records or metadata, sorted. */
  rooms(): Promise<string[]>
  /** Releases the store; later calls fail with reason 'closed'. Idempotent. */
  close(): Promise<void>
}

/** Why a store operation failed. */
export const STORE_ERROR_REASONS = ['closed', 'corrupt', 'version', 'invalid', 'quota', 'io'] as const
/** Why a store operation failed: see {@link STORE_ERROR_REASONS}. */
export type StoreErrorReason = (typeof STORE_ERROR_REASONS)[number]

/** Every storage failure: a reason to branch on, a message naming the file or database. */
export class StoreError extends Error {
  override readonly name = 'StoreError'

  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Default batch size of {@link EventStore.scan}. */
export const DEFAULT_BATCH_SIZE = 1000
/** Longest accepted id or room id (CIDv1 sha2-256 base32 strings are 59 chars). */
export const MAX_ID_LENGTH = 256

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/

/**
 * Checks a batch at the store's boundary and returns a snapshot of it: every field is read once
 * here, so nothing the caller does later (a getter, a mutation) can fail or change a write half
 * way. Ids must be printable ASCII so that the three stores order ties identically (SQLite
 * compares UTF-8 bytes, IndexedDB and JS compare UTF-16 code units; for ASCII both agree).
 */
export function checkedBatch(room: string, records: readonly StoredRecord[]): StoredRecord[] {
  validateId('room', room)
  return records.map((input) => {
    const r = { id: input.id, bytes: input.bytes, author: input.author, seq: input.seq, lamport: input.lamport, kind: input.kind }
    validateId('id', r.id)
    if (!(r.bytes instanceof Uint8Array)) throw invalid(`record ${r.id}: bytes must be a Uint8Array`)
    if (typeof r.author !== 'string' || r.author.length === 0) throw invalid(`record ${r.id}: author must be a non-empty string`)
    if (typeof r.kind !== 'string' || r.kind.length === 0) throw invalid(`record ${r.id}: kind must be a non-empty string`)
    if (!Number.isSafeInteger(r.seq) || r.seq < 0) throw invalid(`record ${r.id}: seq must be a non-negative safe integer`)
    if (!Number.isSafeInteger(r.lamport) || r.lamport < 0) throw invalid(`record ${r.id}: lamport must be a non-negative safe integer`)
    return r
  })
}

/** Checks a room id, record id or meta key. */
export function validateId(what: string, value: string): void {
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH || !PRINTABLE_ASCII.test(value)) {
    throw invalid(`${what} must be 1–${MAX_ID_LENGTH} printable ASCII characters, got ${JSON.stringify(String(value).slice(0, 80))}`)
  }
}

/** Checks scan options. */
export function validateScan(options: ScanOptions | undefined): number {
  const size = options?.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isSafeInteger(size) || size < 1) throw invalid(`batchSize must be a positive integer, got ${size}`)
  return size
}

/** Checks a metadata value. */
export function validateMeta(value: MetaValue): void {
  if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw invalid('meta value must be a string or a Uint8Array')
}

/** (lamport, id) order; ids are ASCII so code-unit comparison matches SQLite's BINARY collation. */
export function compareRecords(a: StoreCursor, b: StoreCursor): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** A plain Uint8Array holding exactly these bytes (not a view into a larger buffer, not a Buffer). */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy
}

/** Collects a scan into one array. */
export async function collect(batches: AsyncIterable<StoredRecord[]>): Promise<StoredRecord[]> {
  const out: StoredRecord[] = []
  for await (const batch of batches) for (const r of batch) out.push(r)
  return out
}

function invalid(message: string): StoreError {
  return new StoreError('invalid', message)
}
