/**
 * What late copies cost a replica's fold, in one process (no network): a peer some events
 * behind the room authors events (derived copies heard late carry low Lamport clocks), and they
 * arrive together at a replica holding the whole room, as a sync batch or a gossip backlog
 * brings them; CPU from the first add until the state is read.
 *   node --import tsx bench/team/late-copies.ts
 */
import { buildRoom, cpuMs, freshSigner } from '../room'
import { signInvite } from '../../lib/core/events/verify'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier } from '../../lib/net/keys'
const b = await buildRoom(3000, 16, 7)
const sorted = b.replica.log.all().map((e) => e.bytes)
const n = sorted.length
const out: string[] = []
for (const [behind, late] of [[1000, 20], [1000, 100], [300, 100]]) {
  // A peer `behind` events behind the room authors `late` events (copies heard late, low Lamport clocks); they arrive together.
  const lagger = new Replica({ room: b.room as never, verifier: libp2pVerifier(), now: () => Date.now() })
  for (const e of sorted.slice(0, n - behind)) await lagger.add(e)
  const copies: Uint8Array[] = []
  const who = await freshSigner()
  const invite = await signInvite({ room: b.room as never, role: 'agent', expires: Date.now() + 48 * 3600_000, maxUses: 1, nonce: `late-nonce-${behind}-${late}-000`, issuer: b.owner.peerId }, b.owner)
  copies.push((await lagger.author(who, 'member.joined', { displayName: 'late', kind: 'agent', capabilities: [], invite })).bytes)
  for (let i = 0; i < late; i++) copies.push((await lagger.author(who, 'task.claimed', { taskId: `late-${i}`, projectId: 'p', repository: 'github.com/acme/late', title: `Late ${i}`, description: 'x', agentId: who.peerId } as never)).bytes)
  const times: number[] = []
  for (let rep = 0; rep < 3; rep++) {
    const r = new Replica({ room: b.room as never, verifier: libp2pVerifier(), now: () => Date.now() })
    for (const e of sorted) await r.add(e)
    void r.state
    const t = cpuMs()
    for (const e of copies) await r.add(e)
    void r.state
    times.push(cpuMs() - t)
  }
  out.push(`${late} events from a peer ${behind} behind, into ${n}: CPU ms ${times.map((x) => x.toFixed(0)).join(' / ')}`)
}
console.log(out.join('\n'))
