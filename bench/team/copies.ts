/**
 * Who wrote the copies of derived events in a room run, and when: reads a relay data directory
 * kept by a run (`CHORUS_BENCH_KEEP=1`, the run's `dir` + `/relay`) and, for every derived event
 * written more than once, prints its kind, the authors in order (with their rank in the
 * emitter election, as the settled state ranks them), the gap between the first copy's time and
 * each later one's, and whether the later author had the first copy in its causal past when it
 * wrote (it should never have). Summed by kind and by gap, so a run says whether copies come
 * from takeovers after a wait (gap ≥ the grace) or from peers that rank themselves first.
 *   node --import tsx bench/team/copies.ts <relay data dir> [--list 20]
 */
import '../../lib/node/polyfills'
import { parseArgs } from 'node:util'
import type { StoredEvent } from '../../lib/core/log/stored'
import type { RoomState } from '../../lib/core/state/types'
import { loadReplica, servedRoomOf } from '../../lib/node/backup/inspect'
import { openSqliteStore } from '../../lib/storage/sqlite-store'
import { Rankings } from '../../lib/node/agent/rank'
import { emitterCandidates, involvedIn } from '../../lib/node/agent/derived'
import type { DueEvent } from '../../lib/core/sessions/due'

const derivedKey = (e: StoredEvent): string | null => {
  const p = e.event.payload as Record<string, unknown>
  switch (e.event.kind) {
    case 'dependency.detected': {
      const d = p.dependency as { task1: string; task2: string; relationship: string }
      return `dependency.detected|${d.task1}|${d.task2}|${d.relationship}`
    }
    case 'session.opened':
    case 'session.resolved':
    case 'session.closed':
      return `${e.event.kind}|${String(p.session)}`
    case 'session.escalated':
      return p.reason === 'requested' ? null : `${e.event.kind}|${String(p.session)}`
    default:
      return null
  }
}

/** True if `of` is in the causal past of `from` (by prev/deps, within `byId`). */
function inPast(from: StoredEvent, of: StoredEvent, byId: Map<string, StoredEvent>): boolean {
  const seen = new Set<string>()
  const stack = [from]
  while (stack.length > 0) {
    const e = stack.pop() as StoredEvent
    for (const r of [e.event.prev, ...e.event.deps]) {
      if (r == null || seen.has(r)) continue
      if (r === of.id) return true
      seen.add(r)
      const x = byId.get(r)
      if (x && x.event.lamport >= of.event.lamport) stack.push(x)
    }
  }
  return false
}

function rankOf(s: RoomState, e: StoredEvent, key: string, ranks: Rankings, others: Rankings): string[] {
  const due = { kind: e.event.kind, payload: e.event.payload } as DueEvent
  const candidates = emitterCandidates(s, e.event.kind)
  const eligible = new Set(candidates)
  const involved = involvedIn(s, due).filter((p) => eligible.has(p))
  const inv = new Set<string>(involved)
  return [...ranks.ranked(key, involved), ...others.ranked(key, candidates.filter((p) => !inv.has(p)))]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { list: { type: 'string', default: '20' } } })
  const dataDir = positionals[0]
  if (dataDir == null) throw new Error('usage: copies.ts <relay data dir>')
  const store = await openSqliteStore({ dataDir, writer: 'inline' })
  const room = await servedRoomOf(store)
  if (room == null) throw new Error(`${dataDir} serves no room`)
  const host = await loadReplica(store, room)
  await store.close()
  const s = host.replica.state
  const events = host.replica.log.all()
  const byId = new Map(events.map((e) => [e.id as string, e]))
  const byKey = new Map<string, StoredEvent[]>()
  for (const e of events) {
    const k = derivedKey(e)
    if (k != null) byKey.set(k, [...(byKey.get(k) ?? []), e])
  }
  const name = (p: string) => s.members.get(p as never)?.displayName ?? p.slice(-6)
  const ranks = new Rankings('derived')
  const others = new Rankings('derived')
  const byKind: Record<string, number> = {}
  const gaps: Record<string, number> = { '< 1 s': 0, '1–4 s': 0, '4–10 s': 0, '10–32 s': 0, '≥ 32 s': 0 }
  const byRank: Record<string, number> = {}
  let knowing = 0
  const lines: string[] = []
  for (const [key, list] of byKey) {
    if (list.length < 2) continue
    const sorted = [...list].sort((a, b) => a.event.time - b.event.time)
    const ranked = rankOf(s, sorted[0], key, ranks, others)
    const first = sorted[0]
    const parts = [`${name(first.event.author)}#${ranked.indexOf(first.event.author)}`]
    for (const c of sorted.slice(1)) {
      byKind[c.event.kind] = (byKind[c.event.kind] ?? 0) + 1
      const gap = (c.event.time - first.event.time) / 1000
      gaps[gap < 1 ? '< 1 s' : gap < 4 ? '1–4 s' : gap < 10 ? '4–10 s' : gap < 32 ? '10–32 s' : '≥ 32 s']++
      const r = ranked.indexOf(c.event.author)
      byRank[`rank ${r}`] = (byRank[`rank ${r}`] ?? 0) + 1
      const knew = inPast(c, first, byId)
      if (knew) knowing++
      parts.push(`${name(c.event.author)}#${r} +${gap.toFixed(1)} s${knew ? ' (knew)' : ''}`)
    }
    lines.push(`${key.split('|')[0]}: ${parts.join(', ')} (first ranked ${ranked.slice(0, 3).map(name).join(' > ')})`)
  }
  console.log(lines.slice(0, Number(values.list)).join('\n'))
  console.log(JSON.stringify({ copies: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, gaps, byRank, knowing }, null, 2))
}
