/**
 * A second, deliberately naive reading of ADR 0065 for tests: every event's causal past as an
 * explicit set, standing evaluated by the rules as written, with no indices, pruning or
 * caches. The property test holds the replica's Authority to the same verdicts.
 */
import type { AnyEvent } from '../events/envelope'
import type { SignedInvite } from '../events/kinds/invite'
import type { EventId, PeerId } from '../ids'
import type { StoredEvent } from '../log/stored'
import { foldOrder } from '../state/order'

/** Grace after expiry within which a join's first citation by someone else still admits (ADR 0065). */
const GRACE_MS = 60 * 60_000

type Ev = StoredEvent

/** What every event references, kind by kind (written out again, not imported). */
function refsOf(e: AnyEvent, room: EventId): EventId[] {
  const p = e.payload as Record<string, unknown>
  const ids: EventId[] = e.kind === 'room.created' ? [] : [room]
  if (e.prev) ids.push(e.prev)
  ids.push(...e.deps)
  const list = (x: unknown) => (Array.isArray(x) ? (x as EventId[]) : [])
  switch (e.kind) {
    case 'member.joined':
      if (e.payload.invite?.issuerJoin) ids.push(e.payload.invite.issuerJoin)
      break
    case 'dependency.detected':
      ids.push(...e.payload.claims, ...(e.payload.rule ? [e.payload.rule] : []))
      break
    case 'session.opened':
      ids.push(...e.payload.evidence)
      break
    case 'session.escalated':
      if (e.payload.reason !== 'requested') ids.push(e.payload.opened)
      if (e.payload.reason === 'message_limit') ids.push(...e.payload.messages)
      break
    case 'session.resolved':
      ids.push(e.payload.plan, ...e.payload.agreements)
      break
    case 'session.closed':
      ids.push(...list(p.evidence))
      break
  }
  return ids
}

export interface OracleStanding {
  cuts: Map<PeerId, number>
  voidJoins: Set<EventId>
  voidActs: Set<EventId>
  /** Causal past of every event (ids), for the invariants. */
  past: Map<EventId, Set<EventId>>
}

/** Standing of the stored set `events` (genesis included) by the naive rules. */
export function oracleStanding(events: readonly Ev[], room: EventId): OracleStanding {
  const byId = new Map(events.map((e) => [e.id, e]))
  const past = new Map<EventId, Set<EventId>>()
  const pastOf = (id: EventId): Set<EventId> => {
    let s = past.get(id)
    if (s) return s
    s = new Set()
    for (const r of refsOf((byId.get(id) as Ev).event, room)) {
      if (!byId.has(r)) continue
      s.add(r)
      for (const x of pastOf(r)) s.add(x)
    }
    past.set(id, s)
    return s
  }
  const sorted = [...events].sort(foldOrder)
  for (const e of sorted) pastOf(e.id)
  const inPast = (x: Ev, from: Ev) => (past.get(from.id) as Set<EventId>).has(x.id)
  const maxSeqIn = (from: Ev, author: PeerId) =>
    Math.max(0, ...[...(past.get(from.id) as Set<EventId>)].map((id) => byId.get(id) as Ev).filter((x) => x.event.author === author).map((x) => x.event.seq))

  const genesis = sorted.find((e) => e.event.kind === 'room.created') as Ev
  const owner = genesis.event.author
  const fork = new Map<PeerId, number>()
  const seen = new Map<string, number>()
  for (const e of sorted) {
    const k = `${e.event.author}/${e.event.seq}`
    seen.set(k, (seen.get(k) ?? 0) + 1)
    if ((seen.get(k) as number) > 1) fork.set(e.event.author, Math.min(fork.get(e.event.author) ?? Infinity, e.event.seq))
  }
  const alive = (e: Ev) => e.event.seq < (fork.get(e.event.author) ?? Infinity)
  const of = <K extends AnyEvent['kind']>(k: K) => sorted.filter((e) => e.event.kind === k) as (Ev & { event: Extract<AnyEvent, { kind: K }> })[]
  const joins = of('member.joined')
  const revocations = of('member.revoked')
  const leaves = of('member.left')
  const inviteRevs = of('invite.revoked')

  const ownerCut = new Map<PeerId, number>()
  const cut = (m: Map<PeerId, number>, who: PeerId, seq: number) => m.set(who, Math.min(m.get(who) ?? Infinity, seq))
  const voidActs = new Set<EventId>()
  for (const r of revocations) {
    if (r.event.author !== owner) continue
    if (r.event.payload.member === owner || !alive(r)) voidActs.add(r.id)
    else cut(ownerCut, r.event.payload.member, maxSeqIn(r, r.event.payload.member))
  }

  const memo = new Map<EventId, boolean>()
  const busy = new Set<EventId>()
  const valid = (j: (typeof joins)[number]): boolean => {
    if (memo.has(j.id)) return memo.get(j.id) as boolean
    if (busy.has(j.id)) return false
    busy.add(j.id)
    const v = checkJoin(j)
    busy.delete(j.id)
    memo.set(j.id, v)
    return v
  }
  const checkJoin = (j: (typeof joins)[number]): boolean => {
    if (!alive(j)) return false
    const inv = j.event.payload.invite
    if (!inv) return true
    const witnesses = sorted.filter((w) => w.event.author !== j.event.author && w.event.deps.some((d) => byId.get(d)?.event.author === j.event.author && (byId.get(d) as Ev).event.seq >= j.event.seq))
    if (witnesses.length > 0 && Math.min(...witnesses.map((w) => w.event.time)) > inv.expires + GRACE_MS) return false
    if (inv.issuer !== owner) {
      const ij = joins.find((x) => x.id === inv.issuerJoin)
      if (!ij || !valid(ij)) return false
      if (revocations.some((r) => r.event.author === owner && r.event.payload.member === inv.issuer && alive(r) && !inPast(j, r))) return false
      if (leaves.some((l) => l.event.author === inv.issuer && l.event.seq > ij.event.seq && !inPast(j, l))) return false
    }
    return !inviteRevs.some((ir) => ir.event.payload.issuer === inv.issuer && ir.event.payload.nonce === inv.nonce && revokes(ir, inv) && !inPast(j, ir))
  }
  const standsAt = (who: PeerId, act: Ev): boolean => {
    if (!alive(act)) return false
    if (who === owner) return true
    if (act.event.seq > (ownerCut.get(who) ?? Infinity)) return false
    const covering = joins.filter((j) => j.event.author === who && j.event.seq < act.event.seq).sort((a, b) => a.event.seq - b.event.seq).pop()
    return covering?.event.payload.invite?.role === 'admin' && valid(covering)
  }
  const revokes = (ir: Ev, inv: SignedInvite) => standsAt(ir.event.author, ir) && (ir.event.author === owner || ir.event.author === inv.issuer || inv.role !== 'admin')
  const adminProtected = (who: PeerId) =>
    joins.some((j) => j.event.author === who && j.event.payload.invite?.role === 'admin' && j.event.seq <= (ownerCut.get(who) ?? Infinity) && valid(j))

  const cuts = new Map(ownerCut)
  for (const r of revocations) {
    if (r.event.author === owner) continue
    const target = r.event.payload.member
    if (target === owner || adminProtected(target) || !standsAt(r.event.author, r)) voidActs.add(r.id)
    else cut(cuts, target, maxSeqIn(r, target))
  }
  const voidJoins = new Set(joins.filter((j) => !valid(j)).map((j) => j.id))
  for (const ir of inviteRevs) if (!standsAt(ir.event.author, ir)) voidActs.add(ir.id)
  return { cuts, voidJoins, voidActs, past }
}
