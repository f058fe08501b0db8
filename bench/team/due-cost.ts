/**
 * One `due()` call on the realistic room's states, timed in one process: the room's 8 × 25
 * claims, then half the dependencies announced, then half their sessions opened, then all. The
 * room bench's CPU per event moves by ±30 % between runs, so a change to `due` that saves a few
 * per cent of an agent's CPU shows only here. With `--against <checkout>` the other checkout's
 * `due` runs on the same states in alternation (A = the other, B = this one) and each round's
 * ratio B / A is printed; both must return the same events.
 *   node --import tsx bench/team/due-cost.ts [--against /path/to/checkout] [--rounds 12] [--calls 200]
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DependencyCache } from '../../lib/core/sessions/dependency-cache'
import { due, type DueEvent } from '../../lib/core/sessions/due'
import type { RoomState } from '../../lib/core/state/types'
import { replicaRoom } from '../../lib/core/testing/replica'
import { workload } from './workload'

type Due = (state: RoomState, now: number, cache: never) => DueEvent[]
type Side = { due: Due; cache: () => unknown }

const { values } = parseArgs({ options: { against: { type: 'string' }, rounds: { type: 'string', default: '12' }, calls: { type: 'string', default: '200' } } })
const rounds = Number(values.rounds)
const calls = Number(values.calls)
const B: Side = { due: due as Due, cache: () => new DependencyCache() }
let A: Side | null = null
if (values.against != null) {
  const root = resolve(values.against)
  const other = (await import(`${root}/lib/core/sessions/due.ts`)) as { due: Due }
  const cache = (await import(`${root}/lib/core/sessions/dependency-cache.ts`)) as { DependencyCache: new () => unknown }
  A = { due: other.due, cache: () => new cache.DependencyCache() }
}

const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]

/** Times `calls` calls of each side's `due` per round, the sides' order alternating. */
function measure(name: string, state: RoomState, now: number): void {
  const sides = A ? { A, B } : { B }
  const caches = Object.fromEntries(Object.entries(sides).map(([k, s]) => [k, s.cache()]))
  const first = Object.entries(sides).map(([k, s]) => JSON.stringify(s.due(state, now, caches[k] as never)))
  if (first.some((f) => f !== first[0])) throw new Error(`${name}: the two checkouts' due() differ`)
  const times: Record<string, number[]> = { A: [], B: [] }
  for (let r = 0; r < rounds; r++) {
    for (const k of r % 2 === 0 ? Object.keys(sides) : Object.keys(sides).reverse()) {
      const side = sides[k as keyof typeof sides]!
      const start = performance.now()
      for (let i = 0; i < calls; i++) side.due(state, now, caches[k] as never)
      times[k].push(((performance.now() - start) * 1000) / calls)
    }
  }
  const items = (JSON.parse(first[0]) as DueEvent[]).length
  const head = `${name}: ${items} due, ${state.dependencies.size} dependencies, ${state.sessions.size} sessions;`
  if (!A) return console.log(`${head} ${med(times.B).toFixed(0)} µs per call`)
  const ratios = times.A.map((a, i) => times.B[i] / a)
  console.log(`${head} A ${med(times.A).toFixed(0)} µs, B ${med(times.B).toFixed(0)} µs per call; B / A per round ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, median ${med(ratios).toFixed(2)}`)
}

const room = await replicaRoom()
const agents = workload(8, 25)
const members: Awaited<ReturnType<typeof room.member>>[] = []
for (const a of agents) members.push(await room.member(a.name, 'agent'))
for (let i = 0; i < 25; i++) for (const [k, a] of agents.entries()) await room.replica.author(members[k], 'task.claimed', { projectId: 'acme', ...a.tasks[i] })
const now = () => room.clock.now()
measure('claimed', room.replica.state, now())
const announce = async (kind: DueEvent['kind'], share: (i: number) => boolean) => {
  const list = room.replica.due().filter((d) => d.kind === kind)
  for (const [i, d] of list.entries()) if (share(i)) await room.replica.author(members[i % members.length], d.kind, d.payload)
}
await announce('dependency.detected', (i) => i % 2 === 0)
measure('half announced', room.replica.state, now())
await announce('dependency.detected', () => true)
await announce('session.opened', (i) => i % 2 === 0)
measure('half opened', room.replica.state, now())
await announce('session.opened', () => true)
measure('all opened', room.replica.state, now())
