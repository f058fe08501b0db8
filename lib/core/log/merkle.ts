/**
 * A Merkle tree over sorted leaves, RFC 6962 style: leaf and node hashes are domain-separated
 * (0x00 / 0x01) so a leaf can never be passed off as an inner node.
 * https://www.rfc-editor.org/rfc/rfc6962#section-2.1
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

const prefixed = (tag: number, ...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0))
  out[0] = tag
  let at = 1
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

function root(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0))
  if (leaves.length === 1) return sha256(prefixed(0x00, leaves[0]))
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return sha256(prefixed(0x01, root(leaves.slice(0, k)), root(leaves.slice(k))))
}

/** Hex Merkle root of the given leaf encodings (in the given order). */
export const merkleRoot = (leaves: readonly Uint8Array[]): string => bytesToHex(root(leaves))

/** True if a sorted list of indices holds one in [lo, hi). */
function anyIn(sorted: readonly number[], lo: number, hi: number): boolean {
  let a = 0
  let b = sorted.length
  while (a < b) {
    const m = (a + b) >>> 1
    if (sorted[m] < lo) a = m + 1
    else b = m
  }
  return a < sorted.length && sorted[a] < hi
}

/**
 * The same root as `merkleRoot` over a list of leaves that changes a few at a time: inner
 * nodes are kept, and a changed leaf costs the hashes on its path to the root. Inserting a
 * leaf shifts every later position, so it drops the kept nodes (leaves are inserted far
 * less often than they change: one per author, against one change per event).
 */
export class MerkleTree {
  /** Hash of each leaf, domain-separated as in `root`. */
  private readonly leaves: Uint8Array[] = []
  /** Inner nodes of the current shape, by `lo * (leaf count + 1) + hi` of the leaves they cover. */
  private readonly nodes = new Map<number, Uint8Array>()
  /** Leaves changed since the last root. */
  private readonly changed = new Set<number>()
  /** The same, sorted, while a root is computed. */
  private dirty: number[] = []
  private cached: string | undefined

  /** Number of leaves. */
  get size(): number {
    return this.leaves.length
  }

  /** Replaces the leaf at `i`. */
  set(i: number, leaf: Uint8Array): void {
    if (i < 0 || i >= this.leaves.length) throw new RangeError(`no leaf ${i}`)
    this.leaves[i] = sha256(prefixed(0x00, leaf))
    this.changed.add(i)
    this.cached = undefined
  }

  /** Inserts a leaf before position `i` (at the end when `i` is the size). */
  insert(i: number, leaf: Uint8Array): void {
    if (i < 0 || i > this.leaves.length) throw new RangeError(`no position ${i}`)
    this.leaves.splice(i, 0, sha256(prefixed(0x00, leaf)))
    this.nodes.clear()
    this.changed.clear()
    this.cached = undefined
  }

  /** Hex root, equal to `merkleRoot` of the leaves in order. */
  root(): string {
    if (this.cached !== undefined) return this.cached
    const n = this.leaves.length
    this.dirty = [...this.changed].sort((a, b) => a - b)
    const top = n === 0 ? sha256(new Uint8Array(0)) : this.node(0, n)
    this.changed.clear()
    this.dirty = []
    return (this.cached = bytesToHex(top))
  }

  private node(lo: number, hi: number): Uint8Array {
    if (hi - lo === 1) return this.leaves[lo]
    const key = lo * (this.leaves.length + 1) + hi
    const kept = this.nodes.get(key)
    if (kept && !anyIn(this.dirty, lo, hi)) return kept
    let k = 1
    while (k * 2 < hi - lo) k *= 2
    const h = sha256(prefixed(0x01, this.node(lo, lo + k), this.node(lo + k, hi)))
    this.nodes.set(key, h)
    return h
  }
}
