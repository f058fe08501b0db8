/**
 * SHA-256 in WebAssembly (hash-wasm) for the event ids of a tab's log (`EventLogInit.sha256`).
 * A tab has no synchronous native SHA-256 (WebCrypto's digest is a promise per call); the
 * WebAssembly one is synchronous once compiled and about twice as fast as the core's pure-JS
 * default on a 1 KB event. Node keeps node:crypto's (`nativeSha256` in keys.ts).
 */
import { createSHA256 } from 'hash-wasm'

export type SyncSha256 = (bytes: Uint8Array) => Uint8Array

let compiled: Promise<SyncSha256 | undefined> | undefined

/**
 * A synchronous SHA-256 backed by one compiled hash-wasm instance, or undefined where
 * WebAssembly cannot be compiled (the log then keeps the core's default).
 */
export function wasmSha256(): Promise<SyncSha256 | undefined> {
  compiled ??= createSHA256().then(
    (hasher): SyncSha256 =>
      // One instance is safe to share: init, update and digest run without a turn between them.
      (bytes) => hasher.init().update(bytes).digest('binary'),
    () => undefined,
  )
  return compiled
}
