/**
 * The received events a tab that does not write them waits for (ADR 0119): each `putMany` of
 * received events is one wait, finished once another connection of the browser has stored every
 * record in it, or handed back to be written by this connection — when it waited long enough,
 * or when this connection becomes the room's writer. No timers and no store here: the caller
 * says what is stored and when a wait is to be written.
 */
import type { StoredRecord } from './event-store'

/** One `putMany` waiting, with the records not yet known stored. */
export interface Wait {
  readonly room: string
  records: readonly StoredRecord[]
  /** Finishes the `putMany`: how many records this connection wrote. */
  readonly resolve: (written: number) => void
  readonly reject: (err: unknown) => void
}

/** See the module comment. */
export class ReceivedWaits {
  readonly #waits = new Set<Wait>()

  /** Waits for `records` of `room`; `promise` resolves to how many this connection wrote. */
  add(room: string, records: readonly StoredRecord[]): { wait: Wait; promise: Promise<number> } {
    let wait!: Wait
    const promise = new Promise<number>((resolve, reject) => {
      wait = { room, records, resolve, reject }
    })
    this.#waits.add(wait)
    return { wait, promise }
  }

  get size(): number {
    return this.#waits.size
  }

  /** Drops from every wait of `room` the records now stored; a wait left with none resolves (0 written here). */
  settle(room: string, stored: (id: string) => boolean): void {
    for (const w of this.#waits) {
      if (w.room !== room) continue
      w.records = w.records.filter((r) => !stored(r.id))
      if (w.records.length > 0) continue
      this.#waits.delete(w)
      w.resolve(0)
    }
  }

  /** Removes `wait` if it still waits: true when the caller is now to write it. */
  take(wait: Wait): boolean {
    return this.#waits.delete(wait)
  }

  /** Removes and returns every wait of `room`: the caller writes them. */
  takeRoom(room: string): Wait[] {
    const out = [...this.#waits].filter((w) => w.room === room)
    for (const w of out) this.#waits.delete(w)
    return out
  }

  /** Rejects every wait (the store closed). */
  failAll(err: unknown): void {
    for (const w of this.#waits) w.reject(err)
    this.#waits.clear()
  }
}
