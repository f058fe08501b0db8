/**
 * A fold trace: what one replica's fold was given, in order — each event as it was inserted and
 * each read of the state that ran the replay late events owed. An agent of the realistic room
 * writes one (CHORUS_FOLD_TRACE=<file> CHORUS_FOLD_TRACE_AGENT=<name>, bench/team/agent-child.ts);
 * replaying it into a fresh replica in one process repeats exactly those inserts and replays,
 * so a change to the fold is compared on a real room's arrival order, with the same final
 * digest as the check that the result did not change:
 *   node --import tsx bench/team/fold-trace.ts <trace> [--reps 3] [--due]
 * `--due`: also computes what is due after each read, as the agent's derived duty does.
 */
import '../../lib/node/polyfills'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Verifier } from '../../lib/core/events/signer'
import type { RoomId } from '../../lib/core/ids'
import type { StoredEvent } from '../../lib/core/log/stored'
import { stateDigest } from '../../lib/core/state/digest'
import { Replica } from '../../lib/core/state/replica'
import { libp2pVerifier, nativeSha256 } from '../../lib/net/keys'
import { cpuMs, round } from '../room'

/**
 * The fold's members the trace hooks. No public API shows when the fold is given an event or
 * runs a replay, and a hook in the product for the bench alone is not worth its weight, so the
 * recorder wraps them on the one replica it traces.
 */
interface FoldInternals {
  order: readonly StoredEvent[]
  staleFrom: number | null
  readonly replayedCount: number
  insert(e: StoredEvent, changed?: readonly StoredEvent[]): void
  settle(): void
}

const foldOf = (replica: Replica) => (replica as unknown as { fold: FoldInternals }).fold

/**
 * Starts tracing `replica`'s fold: the events it folded already (in fold order), then every
 * insert and every replay-running read. Returns what writes the trace out.
 */
export function recordFoldTrace(replica: Replica): () => string {
  const fold = foldOf(replica)
  const lines = [`ROOM ${replica.log.room}`]
  const add = (e: StoredEvent) => lines.push(`A ${Buffer.from(e.bytes).toString('base64')}`)
  for (const e of fold.order) add(e)
  lines.push('R')
  const insert = fold.insert.bind(fold)
  fold.insert = (e, changed) => {
    add(e)
    insert(e, changed)
  }
  const settle = fold.settle.bind(fold)
  fold.settle = () => {
    if (fold.staleFrom != null) lines.push('R')
    settle()
  }
  return () => lines.join('\n')
}

export interface FoldTraceRun {
  events: number
  reads: number
  rewinds: number
  /** Events the replays folded again. */
  replayed: number
  /** CPU of the reads (the replays), of the adds (verify, admission, folding at the tail), of `due`. */
  readCpuMs: number
  addCpuMs: number
  dueCpuMs: number
  digest: string
}

/** Replays a trace once into a fresh replica. */
export async function replayFoldTrace(trace: string, opts: { verifier?: Verifier; due?: boolean } = {}): Promise<FoldTraceRun> {
  const [head, ...rest] = trace.split('\n')
  if (!head.startsWith('ROOM ')) throw new Error('not a fold trace: the first line must be ROOM <id>')
  const replica = new Replica({ room: head.slice(5) as RoomId, verifier: opts.verifier ?? libp2pVerifier(), sha256: nativeSha256() })
  const run = { reads: 0, readCpuMs: 0, addCpuMs: 0, dueCpuMs: 0 }
  for (const line of rest) {
    if (line === 'R') {
      let c = cpuMs()
      const state = replica.state
      run.readCpuMs += cpuMs() - c
      run.reads++
      if (!opts.due) continue
      c = cpuMs()
      replica.due(state.lastTime)
      run.dueCpuMs += cpuMs() - c
    } else {
      const c = cpuMs()
      const r = await replica.add(Buffer.from(line.slice(2), 'base64'))
      run.addCpuMs += cpuMs() - c
      if (r.status !== 'accepted') throw new Error(`event ${replica.log.size + 1} of the trace not accepted: ${JSON.stringify(r)}`)
    }
  }
  // A replay still owed at the end runs here, outside the timed reads, and counts.
  const digest = stateDigest(replica.state)
  return { events: replica.log.size, reads: run.reads, rewinds: replica.rewindCount, replayed: foldOf(replica).replayedCount, readCpuMs: round(run.readCpuMs), addCpuMs: round(run.addCpuMs), dueCpuMs: round(run.dueCpuMs), digest }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { reps: { type: 'string', default: '3' }, due: { type: 'boolean', default: false } } })
  if (positionals.length !== 1) throw new Error('usage: fold-trace.ts <trace> [--reps 3] [--due]')
  const trace = readFileSync(positionals[0], 'utf8')
  for (let rep = 0; rep < Number(values.reps); rep++) console.log(JSON.stringify({ rep, ...(await replayFoldTrace(trace, { due: values.due })) }))
}
