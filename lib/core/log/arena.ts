/**
 * Append-only byte slabs for what the log keeps of each event (signature and payload bytes):
 * one ArrayBuffer per 256 KiB instead of one per event, whose own bookkeeping costs about as
 * much as a small payload. Nothing is ever freed: the log keeps every event it stores.
 */
const SLAB_BYTES = 256 * 1024
/** Larger pieces get a buffer of their own, so a slab's unused tail stays small. */
const OWN_BUFFER_ABOVE = SLAB_BYTES / 16

/** See the module comment. */
export class ByteArena {
  /** The buffer the last `reserve` placed its bytes in. */
  buffer = new Uint8Array(0)
  private slab = new Uint8Array(0)
  private used = 0

  /** Reserves `n` bytes; returns their offset in `this.buffer` (valid until the next call). */
  reserve(n: number): number {
    if (n > OWN_BUFFER_ABOVE) {
      this.buffer = new Uint8Array(n)
      return 0
    }
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB_BYTES)
      this.used = 0
    }
    const at = this.used
    this.used += n
    this.buffer = this.slab
    return at
  }
}
