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
