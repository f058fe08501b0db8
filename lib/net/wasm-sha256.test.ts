import { sha256 } from '@noble/hashes/sha2.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cidOf } from '../core/events/codec'
import { wasmSha256 } from './wasm-sha256'

describe('wasmSha256', () => {
  it('gives the same digests and event ids as the core default on random inputs of every length around the block size', async () => {
    const wasm = await wasmSha256()
    expect(wasm).toBeDefined()
    if (!wasm) return
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 900, maxLength: 5000 })), (bytes) => {
        const digest = wasm(bytes)
        expect(digest).toBeInstanceOf(Uint8Array)
        expect(Buffer.from(digest).equals(Buffer.from(sha256(bytes)))).toBe(true)
        expect(cidOf(bytes, wasm)).toBe(cidOf(bytes))
      }),
      { numRuns: 2000 },
    )
  })

  it('hands out a fresh array per digest', async () => {
    const wasm = await wasmSha256()
    const a = wasm?.(Uint8Array.of(1))
    const b = wasm?.(Uint8Array.of(2))
    expect(a && b && Buffer.from(a).equals(Buffer.from(sha256(Uint8Array.of(1))))).toBe(true)
  })
})
