/**
 * A benchmark room: a genesis, a few agent members, and many realistic `task.claimed` /
 * `task.completed` events, all signed with real libp2p Ed25519 keys (node:crypto), so the
 * verify cost measured downstream is the production one. Seeded titles; keys are fresh per run.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { decodeEvent } from '../lib/core/events/codec'
import type { Signer } from '../lib/core/events/signer'
import { signInvite } from '../lib/core/events/verify'
import { createGenesis } from '../lib/core/log/author'
import { Replica } from '../lib/core/state/replica'
import { libp2pSigner, libp2pVerifier } from '../lib/net/keys'
import { rng } from './synthetic'

/** A generated room: its id, every event's bytes in authoring order, and the signers. */
export interface BenchRoom {
  room: string
  events: Uint8Array[]
  owner: Signer
  members: Signer[]
  /** Replica holding every event (the "up-to-date peer"). */
  replica: Replica
  /** Sum of the events' encoded sizes. */
  bytes: number
}

/** A fresh libp2p Ed25519 signer. */
export async function freshSigner(): Promise<Signer> {
  return libp2pSigner(await generateKeyPair('Ed25519'))
}

const WORDS = 'order invoice payment cart product catalog inventory shipment notification email profile review search coupon'.split(' ')

/** Builds a room of about `total` events with `members` agents (a realistic mix of claims and completions). */
export async function buildRoom(total: number, members = 16, seed = 1): Promise<BenchRoom> {
  const rand = rng(seed)
  let clock = Date.now() - 6 * 3600_000
  const now = () => clock
  const owner = await freshSigner()
  const genesis = await createGenesis(owner, { name: 'bench', open: false, config: {}, owner: { displayName: 'Owner', kind: 'human', capabilities: [] } }, now())
  const events: Uint8Array[] = []
  const replica = new Replica({ room: genesis.id, verifier: libp2pVerifier(), now, onStored: (e) => void events.push(e.bytes) })
  await replica.add(genesis)
  const agents: Signer[] = []
  for (let i = 0; i < members; i++) {
    const who = await freshSigner()
    const invite = await signInvite({ room: genesis.id, role: 'agent', expires: clock + 48 * 3600_000, maxUses: 1, nonce: `bench-nonce-${i}-0000`, issuer: owner.peerId }, owner)
    await replica.author(who, 'member.joined', { displayName: `agent-${i}`, kind: 'agent', capabilities: [], invite })
    agents.push(who)
  }
  const open: string[][] = agents.map(() => [])
  for (let n = 0; events.length < total; n++) {
    clock += 100
    const a = Math.floor(rand() * agents.length)
    const mine = open[a]
    if (mine.length > 4 && rand() < 0.3) {
      const taskId = mine.shift() as string
      await replica.author(agents[a], 'task.completed', { taskId, note: 'merged' })
      continue
    }
    const e = WORDS[Math.floor(rand() * WORDS.length)]
    const taskId = `t-${n}`
    mine.push(taskId)
    await replica.author(agents[a], 'task.claimed', {
      taskId,
      projectId: `p-${a % 4}`,
      repository: `github.com/acme/${e}-service-${a}`,
      title: `Implement ${e} endpoint ${n}`,
      description: `Add the ${e} REST endpoint and its tests; see the ${e} API contract.`,
      agentId: agents[a].peerId,
    })
  }
  const bytes = events.reduce((s, b) => s + b.byteLength, 0)
  return { room: genesis.id, events, owner, members: agents, replica, bytes }
}

const memo = new Map<string, Promise<RoomEvents>>()

/** Just the events of a generated room (no replica). */
export interface RoomEvents {
  room: string
  events: Uint8Array[]
  bytes: number
}

/**
 * A room of `total` events, generated once per size and cached in the OS temp dir (generation
 * costs ~1 ms CPU per event: sign + verify + fold); events are stamped hours in the past.
 */
export function loadRoom(total: number): Promise<RoomEvents> {
  const key = String(total)
  let p = memo.get(key)
  if (!p) memo.set(key, (p = loadOrBuild(total)))
  return p
}

async function loadOrBuild(total: number): Promise<RoomEvents> {
  const file = join(tmpdir(), `chorus-bench-room-v1-${total}.bin`)
  try {
    const buf = new Uint8Array(await readFile(file))
    const events: Uint8Array[] = []
    for (let at = 0; at < buf.length; ) {
      const len = new DataView(buf.buffer, buf.byteOffset + at, 4).getUint32(0)
      events.push(buf.slice(at + 4, at + 4 + len))
      at += 4 + len
    }
    const first = decodeEvent(events[0])
    if (!first.ok || events.length !== total) throw new Error('stale cache')
    return { room: first.value.id, events, bytes: events.reduce((s, b) => s + b.byteLength, 0) }
  } catch {
    const r = await buildRoom(total)
    const out = new Uint8Array(r.events.reduce((s, b) => s + 4 + b.byteLength, 0))
    let at = 0
    for (const e of r.events) {
      new DataView(out.buffer).setUint32(at, e.byteLength)
      out.set(e, at + 4)
      at += 4 + e.byteLength
    }
    await writeFile(file, out)
    return { room: r.room, events: r.events, bytes: r.bytes }
  }
}

/** CPU time (user+system) of this process in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** Round to `d` decimals. */
export const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d
