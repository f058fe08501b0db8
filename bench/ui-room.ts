/**
 * The room behind the UI benchmark: a relay data directory (its key and its
 * SQLite store) holding a room with `tasks` claimed tasks in 40 repositories, the dependencies
 * the rules find among them (one per pair of tasks, announced as real `dependency.detected`
 * events), a hub — one gateway task that a custom rule links to every fourth task, the busiest
 * task whose neighbourhood the focus mode must keep readable — and `escalations` planning
 * sessions that a participant escalated with a note.
 * Every event is signed with real libp2p Ed25519 keys and folded by a core Replica here, so
 * the relay admits them as it would from the network. Generated once per size and cached in
 * the OS temp dir; each run starts its relay on a copy.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Signer } from '../lib/core/events/signer'
import { signInvite } from '../lib/core/events/verify'
import type { StoredEvent } from '../lib/core/log/stored'
import { due } from '../lib/core/sessions/due'
import { sessionIdOf } from '../lib/core/sessions/ids'
import { Replica } from '../lib/core/state/replica'
import { libp2pSigner, libp2pVerifier } from '../lib/net/keys'
import { loadOrCreateKey } from '../lib/node/identity'
import { openServedRoom } from '../lib/node/room-bootstrap'
import { openSqliteStore } from '../lib/storage/sqlite-store'
import type { StoredRecord } from '../lib/storage/event-store'
import { freshSigner } from './room'
import { rng } from './synthetic'

/** The sizes of a UI room. */
export interface UiRoomSize {
  escalations: number
  tasks: number
}

/** A copy of the cached data directory for one run, and what it holds. */
export interface UiRoomCopy {
  dir: string
  /** Tasks in the room: the requested ones and the hub. */
  tasks: number
  events: number
  dependencies: number
  /** The busiest task: its title, and how many dependencies it has. */
  hub: { title: string; degree: number }
}

const VERSION = 2
/** The hub: a custom rule links it to every task served behind the gateway. */
const HUB = { taskId: 'task-hub', title: 'Add the gateway route table for every public API', repository: 'acme/gateway' }
const GATEWAY_RULE = { name: 'Gateway_Route', description: 'A service served behind the gateway waits for its route.', keywords: ['gateway'], requires: [['gateway route'], ['gateway']] as [string[], string[]] }
const SYL = ['ka', 'lo', 'mi', 'ne', 'pu', 'ra', 'si', 'to', 'vu', 'ze', 'bo', 'da', 'fi', 'gu', 'ho', 'ju']
/** A made-up entity name per pair, so the rules link exactly the two tasks of a pair. */
const entity = (k: number): string => {
  let s = ''
  for (let n = k + 17, i = 0; i < 4; i++, n = Math.floor(n / 16)) s += SYL[n % 16]
  return `${s}x`
}
const NOTES = [
  'We disagree on the {e} contract: versioned paths or a header?',
  'The {e} migration needs a maintenance window; who decides?',
  'Two plans for {e} are both reasonable, please pick one.',
  'Security review of {e} is blocking; need a human call.',
  'The {e} rollout order conflicts with the release freeze.',
]

/** Copies the cached room of this size (generating it first if needed) to a fresh directory. */
export async function uiRoom(size: UiRoomSize): Promise<UiRoomCopy> {
  const cache = join(tmpdir(), `chorus-bench-ui-v${VERSION}-${size.escalations}-${size.tasks}`)
  if (!existsSync(join(cache, 'complete.json'))) await generate(cache, size)
  const info = JSON.parse(readFileSync(join(cache, 'complete.json'), 'utf8')) as Omit<UiRoomCopy, 'dir' | 'tasks'>
  const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-ui-'))
  cpSync(cache, dir, { recursive: true })
  return { dir, tasks: size.tasks + 1, ...info }
}

async function generate(cache: string, size: UiRoomSize): Promise<void> {
  const work = `${cache}.tmp-${process.pid}`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const owner = libp2pSigner(await loadOrCreateKey(join(work, 'relay.key')))
  const store = await openSqliteStore({ dataDir: work, synchronous: 'NORMAL' })
  try {
    const served = await openServedRoom(store, owner, { name: 'UI bench', open: false })
    // Real time: the genesis was stamped now, and nothing may be stamped before its references.
    const now = () => Date.now()
    const records: StoredRecord[] = []
    const toRecord = (e: StoredEvent): StoredRecord => ({ id: e.id, bytes: e.bytes, author: e.event.author, seq: e.event.seq, lamport: e.event.lamport, kind: e.event.kind })
    const replica = new Replica({ room: served.room, verifier: libp2pVerifier(), now, onStored: (e) => void (e.id !== served.room && records.push(toRecord(e))) })
    await replica.add(served.genesis.bytes)
    const agents: Signer[] = []
    for (let i = 0; i < 8; i++) {
      const who = await freshSigner()
      const invite = await signInvite({ room: served.room, role: 'agent', expires: now() + 48 * 3600_000, maxUses: 1, nonce: `ui-bench-nonce-${i}-000`, issuer: owner.peerId }, owner)
      await replica.author(who, 'member.joined', { displayName: `agent-${i}`, kind: 'agent', capabilities: [], invite })
      agents.push(who)
    }
    await replica.author(owner, 'rule.added', { rule: GATEWAY_RULE })
    // Claimed first, so each gateway task meets the hub as it is added, whatever limits the
    // detection index puts on a key that 500 tasks share.
    await replica.author(agents[0], 'task.claimed', { ...HUB, projectId: 'bench', description: '' })
    // Pairs of tasks in different repositories that the rules link: an API and its page, or an
    // API and its table.
    const owners = new Map<string, Signer>()
    const rand = rng(8)
    for (let t = 0; t < size.tasks; t++) {
      const k = t >> 1
      const e = entity(k)
      const who = agents[Math.floor(rand() * agents.length)]
      const repo = t % 2 === 0 ? `acme/service-${k % 40}` : `acme/${k % 2 === 0 ? 'web' : 'db'}-${(k * 7 + 3) % 40}`
      const title = t % 2 === 0 ? `Define ${e} API` : k % 2 === 0 ? `Implement ${e} page` : `Add ${e} table`
      const taskId = `task-${String(t).padStart(5, '0')}`
      const description = t % 4 === 0 ? 'Served behind the gateway.' : ''
      await replica.author(who, 'task.claimed', { taskId, projectId: 'bench', repository: repo, title, description })
      owners.set(taskId, who)
    }
    let dependencies = 0
    let degree = 0
    for (const d of due(replica.state, now())) {
      if (d.kind !== 'dependency.detected') continue
      await replica.author(agents[dependencies % agents.length], d.kind, d.payload)
      dependencies++
      if (d.payload.dependency.task1 === HUB.taskId || d.payload.dependency.task2 === HUB.taskId) degree++
    }
    const taskIds = [...owners.keys()]
    if (degree < size.tasks / 8) throw new Error(`the hub has ${degree} dependencies; the rule should give it ${size.tasks / 4}`)
    for (let i = 0; i < size.escalations; i++) {
      const taskId = taskIds[i % taskIds.length]
      const who = owners.get(taskId)!
      const session = sessionIdOf('planning', [taskId], `review-${i}`)
      await replica.author(who, 'session.opened', { session, type: 'planning', tasks: [taskId], rule: `review-${i}`, evidence: [] })
      const note = `${NOTES[i % NOTES.length].replace('{e}', entity(i >> 1))} (#${i})`
      await replica.author(who, 'session.escalated', { session, reason: 'requested', note })
    }
    for (let at = 0; at < records.length; at += 2000) await store.putMany(served.room, records.slice(at, at + 2000))
    writeFileSync(join(work, 'complete.json'), JSON.stringify({ events: records.length + 1, dependencies, hub: { title: HUB.title, degree } }))
  } finally {
    await store.close()
  }
  rmSync(cache, { recursive: true, force: true })
  renameSync(work, cache)
}
