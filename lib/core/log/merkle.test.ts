import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { describe, expect, it } from 'vitest'
import { merkleRoot } from './merkle'

const leaf = (s: string) => new TextEncoder().encode(s)

describe('merkleRoot', () => {
  it('is the hash of nothing for no leaves', () => {
    expect(merkleRoot([])).toBe(bytesToHex(sha256(new Uint8Array(0))))
  })

  it('domain-separates leaves from raw hashes', () => {
    expect(merkleRoot([leaf('a')])).not.toBe(bytesToHex(sha256(leaf('a'))))
    expect(merkleRoot([leaf('a')])).toBe(bytesToHex(sha256(new Uint8Array([0, ...leaf('a')]))))
  })

  it('changes with any leaf, its position, or the leaf count', () => {
    const base = merkleRoot(['a', 'b', 'c'].map(leaf))
    expect(merkleRoot(['a', 'b', 'd'].map(leaf))).not.toBe(base)
    expect(merkleRoot(['b', 'a', 'c'].map(leaf))).not.toBe(base)
    expect(merkleRoot(['a', 'b', 'c', 'c'].map(leaf))).not.toBe(base)
    expect(merkleRoot(['a', 'b', 'c'].map(leaf))).toBe(base)
  })
})
