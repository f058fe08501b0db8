/**
 * One presence verifier for every agent of a bench process. On their own hosts N agents each
 * check a beat once, each on its own core; the scale benches run 25 agents in one process on
 * two shared cores, where the same beat would be checked 25 times over on the same core (an
 * Ed25519 verify is most of what a beat costs an agent). Sharing the check between the agents
 * of one process removes that artefact of running them together, and nothing else: each agent
 * still receives, decodes and judges every beat itself. Only `true` answers are kept, each with
 * the exact bytes it covered.
 */
import type { PeerId } from '../lib/core/ids'
import type { Verifier } from '../lib/core/events/signer'
import { libp2pVerifier } from '../lib/net/keys'

/** A verifier that answers again, without verifying, a signature it already found valid over the same bytes. */
export function sharedVerifier(inner: Verifier = libp2pVerifier(), max = 100_000): Verifier & { hits: number } {
  const valid = new Map<string, Uint8Array>()
  const out = {
    hits: 0,
    verify(peerId: PeerId, bytes: Uint8Array, sig: Uint8Array): Promise<boolean> | boolean {
      const key = `${peerId}/${Buffer.from(sig).toString('base64')}`
      const seen = valid.get(key)
      if (seen != null && Buffer.compare(seen, bytes) === 0) {
        out.hits++
        return true
      }
      const keep = (ok: boolean): boolean => {
        if (ok) {
          if (valid.size >= max) valid.clear()
          valid.set(key, bytes.slice())
        }
        return ok
      }
      const r = inner.verify(peerId, bytes, sig)
      return typeof r === 'boolean' ? keep(r) : r.then(keep)
    },
  }
  return out
}
