/** How the IndexedDB event store reports a failed request (ADR 0032). */
import { StoreError } from './event-store'

/** Maps DOMException names to a reason; the message names the database. */
export function toStoreError(err: unknown, name: string, op: string): StoreError {
  if (err instanceof StoreError) return err
  const errName = (err as { name?: unknown } | null)?.name
  const text = err instanceof Error ? err.message : String(err)
  const reason =
    errName === 'QuotaExceededError'
      ? 'quota'
      : errName === 'VersionError'
        ? 'version'
        : errName === 'InvalidStateError'
          ? 'closed'
          : errName === 'DataError'
            ? 'invalid'
            : 'io'
  const hint = reason === 'version' ? ' (the database was created by a newer Chorus Mesh; reload to get it)' : ''
  return new StoreError(reason, `IndexedDB ${name}: ${op} failed: ${String(errName ?? 'Error')}: ${text}${hint}`, { cause: err })
}
