/**
 * A room as a tab receives it from gossip (Node side of bench/chromium.ts): 16 agents author
 * claims and completions each from its own view of the room, which learns the others' events a
 * few steps late, so events are concurrent (equal Lamport clocks, folded in id order); the tab
 * receives each event after a delay of its own, so many arrive after events they fold before
 * (the fold rewinds) and some before their references (the log parks them). Returned in the
 * tab's arrival order; generated once per size and cached in the OS temp dir.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signInvite } from '../../lib/core/events/verify'
import { createGenesis } from '../../lib/core/log/author'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier, nativeSha256 } from '../../lib/net/keys'
import { freshSigner } from '../room'
import { rng } from '../synthetic'

const MEMBERS = 16
/** Mean delay of an event to another agent's view and to the tab, in authoring steps. */
const LAG = 3

/** The file of the room of `total` events in the tab's arrival order (4-byte length, bytes; repeated). */
export async function lateRoomFile(total: number): Promise<string> {
  const file = join(tmpdir(), `chorus-bench-late-room-v1-${total}.bin`)
  if (await readFile(file).then(() => true, () => false)) return file
  const order = await generate(total)
  const out = new Uint8Array(order.reduce((s, b) => s + 4 + b.byteLength, 0))
  let at = 0
  for (const b of order) {
    new DataView(out.buffer).setUint32(at, b.byteLength)
    out.set(b, at + 4)
    at += 4 + b.byteLength
  }
  await writeFile(file, out)
  return file
}

async function generate(total: number): Promise<Uint8Array[]> {
  const rand = rng(5)
  const delay = () => -LAG * Math.log(1 - rand() * 0.999999)
  let clock = Date.now() - 6 * 3600_000
  const now = () => clock
  const owner = await freshSigner()
  const genesis = await createGenesis(owner, { name: 'late', open: false, config: {}, owner: { displayName: 'Owner', kind: 'human', capabilities: [] } }, now())
  const replica = () => new Replica({ room: genesis.id, verifier: libp2pVerifier(), sha256: nativeSha256(), now })
  const hub = replica()
  await hub.add(genesis)
  const agents = []
  for (let i = 0; i < MEMBERS; i++) {
    const who = await freshSigner()
    const invite = await signInvite({ room: genesis.id, role: 'agent', expires: clock + 48 * 3600_000, maxUses: 1, nonce: `late-nonce-${i}-0000`, issuer: owner.peerId }, owner)
    await hub.author(who, 'member.joined', { displayName: `agent-${i}`, kind: 'agent', capabilities: [], invite })
    agents.push(who)
  }
  const prelude = hub.log.all().map((e) => e.bytes)
  const views = agents.map(() => replica())
  for (const v of views) for (const b of prelude) await v.add(b)
  const inbox: Array<Array<{ at: number; bytes: Uint8Array }>> = agents.map(() => [])
  const tab = prelude.map((bytes, i) => ({ at: i - prelude.length, bytes }))
  const open: string[][] = agents.map(() => [])
  for (let n = 0; tab.length < total; n++) {
    clock += 100
    const a = Math.floor(rand() * MEMBERS)
    const due = inbox[a].filter((x) => x.at <= n).sort((x, y) => x.at - y.at)
    inbox[a] = inbox[a].filter((x) => x.at > n)
    for (const x of due) await views[a].add(x.bytes)
    const mine = open[a]
    const enc =
      mine.length > 4 && rand() < 0.3
        ? await views[a].author(agents[a], 'task.completed', { taskId: mine.shift() as string, note: 'merged' })
        : await views[a].author(agents[a], 'task.claimed', { taskId: `t-${n}`, projectId: `p-${a % 4}`, repository: `github.com/acme/service-${a}`, title: `Implement endpoint ${n}`, description: `Add the REST endpoint ${n} and its tests.`, agentId: agents[a].peerId })
    if (enc.event.kind === 'task.claimed') mine.push(`t-${n}`)
    for (let o = 0; o < MEMBERS; o++) if (o !== a) inbox[o].push({ at: n + delay(), bytes: enc.bytes })
    tab.push({ at: n + delay(), bytes: enc.bytes })
  }
  return tab.sort((x, y) => x.at - y.at).map((x) => x.bytes)
}
