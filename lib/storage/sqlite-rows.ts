/**
 * Rows of the SQLite event store as records, and SQLite failures as StoreErrors naming the file.
 */
import { StoreError, ownBytes, type StoredRecord } from './event-store'

export interface Row {
  id: string
  bytes: Buffer
  author: string
  seq: number
  lamport: number
  kind: string
}

export const COLUMNS = 'id, bytes, author, seq, lamport, kind'

export const isBusy = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}
export const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA']

export function fromRow(row: Row): StoredRecord {
  return { id: row.id, bytes: plainBytes(row.bytes), author: row.author, seq: row.seq, lamport: row.lamport, kind: row.kind }
}

/**
 * better-sqlite3 returns each BLOB as a Buffer that owns its whole ArrayBuffer: re-view it as a
 * plain Uint8Array without copying (50k × 1 KiB on start-up); copy only if it is a shared view.
 */
export function plainBytes(buf: Buffer): Uint8Array {
  return buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength
    ? new Uint8Array(buf.buffer, 0, buf.byteLength)
    : ownBytes(buf)
}

/** Maps SQLite result codes to a reason; the message always names the file. */
export function toStoreError(err: unknown, file: string, op: string): StoreError {
  if (err instanceof StoreError) return err
  const code = (err as { code?: unknown } | null)?.code
  // From the writer thread a failure arrives as a plain {code, message}.
  const text = err instanceof Error ? err.message : typeof (err as { message?: unknown } | null)?.message === 'string' ? (err as { message: string }).message : String(err)
  const reason =
    typeof code !== 'string'
      ? 'io'
      : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
        ? 'corrupt'
        : code === 'SQLITE_FULL'
          ? 'quota'
          : 'io'
  const hint = reason === 'corrupt' ? ' (the file is damaged or not a database; restore a backup or move it aside and resync from peers)' : ''
  return new StoreError(reason, `${file}: ${op} failed: ${text}${typeof code === 'string' ? ` [${code}]` : ''}${hint}`, { cause: err })
}
