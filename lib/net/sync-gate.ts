/**
 * The per-author budget on the sync path (ADR 0061). A batch received in a sync round is
 * filtered before ingest: events of an author over its budget are *deferred*, not refused —
 * they are simply not ingested now, our summary still lacks them, and a later round sends them
 * again — so honest peers still converge on everything a flooding member wrote, at the
 * member's budget rate instead of all at once.
 *
 * - Only *fresh* events (stamped within `freshMs` of our clock) spend an author's budget here,
 *   so a new peer catching up on history is not slowed; old events of an author are deferred
 *   only while its budget is spent (fewer than one token left, or below the forwarder's
 *   slack when the sender is not the author): it is flooding right now.
 * - An event some other author's event is waiting for (pending here, or arriving in the same
 *   batch) is never deferred, so honest events that reference a flooder's events are not held
 *   up by its budget.
 */
import { cidOf } from '../core/events/codec'
import type { EncodedEvent } from '../core/events/envelope'
import type { EventId } from '../core/ids'
import { peekHeader, type EventHeader } from './event-header'
import type { AuthorBudget } from './rate-limit'

/** Events stamped within this window of our clock count against their author's budget. @default 60 s */
export const FRESH_MS = 60_000

/** What the gate reads from the local log. */
export interface GateLog {
  has(id: EventId): boolean
  pendingEvents(): EncodedEvent[]
}

export interface GatedBatch {
  /** Events to ingest now, in the order received. */
  admit: Uint8Array[]
  /** For each admitted event: its header when it is fresh (charge its author if it verifies). */
  charge: (EventHeader | undefined)[]
  /** Events left for a later round. */
  deferred: number
  /** Of the admitted, events let through because another author's event waits for them. */
  needed: number
}

/** Filters one received batch; see the module comment. `from`: the peer that sent it. */
export function gateBatch(events: readonly Uint8Array[], from: string | undefined, budget: AuthorBudget, log: GateLog, now: number, freshMs = FRESH_MS): GatedBatch {
  const heads = events.map(peekHeader)
  const planned = new Map<string, number>()
  const ok: boolean[] = []
  const fresh: boolean[] = []
  for (const h of heads) {
    if (h == null) {
      // Not a plausible event: the ingest path rejects it, at no signature cost.
      ok.push(true)
      fresh.push(false)
      continue
    }
    const isFresh = h.time >= now - freshMs
    const p = planned.get(h.author) ?? 0
    const allowed = budget.allows(h.author, h.author !== from, isFresh ? p : 0)
    if (allowed && isFresh) planned.set(h.author, p + 1)
    ok.push(allowed)
    fresh.push(isFresh)
  }
  let needed = 0
  if (ok.includes(false)) needed = exempt(heads, ok, events, budget, log)
  const admit: Uint8Array[] = []
  const charge: (EventHeader | undefined)[] = []
  events.forEach((bytes, i) => {
    if (!ok[i]) return
    admit.push(bytes)
    charge.push(fresh[i] ? heads[i] : undefined)
  })
  return { admit, charge, deferred: events.length - admit.length, needed }
}

/**
 * Marks deferred events that another in-budget author's event waits for as admitted; returns
 * how many. "Another": an author's own waiting events never let its chain through (a flooder's
 * parked tail would otherwise exempt the whole flood). Ids are hashed only here (deferred
 * events, and only when something waits).
 */
function exempt(heads: readonly (EventHeader | undefined)[], ok: boolean[], events: readonly Uint8Array[], budget: AuthorBudget, log: GateLog): number {
  /** Missing id → the authors whose events wait for it. */
  const want = new Map<string, Set<string>>()
  const queue: string[] = []
  const wants = (by: string, prev: string | null, deps: readonly string[]) => {
    for (const r of prev == null ? deps : [prev, ...deps]) {
      if (log.has(r as EventId)) continue
      let who = want.get(r)
      if (who == null) want.set(r, (who = new Set()))
      if (!who.has(by)) {
        who.add(by)
        queue.push(r)
      }
    }
  }
  // Waiting events of authors within budget, in the pending buffer and admitted from this batch.
  const pending = log.pendingEvents()
  for (const p of pending) if (!budget.overBudget(p.event.author)) wants(p.event.author, p.event.prev, p.event.deps)
  heads.forEach((h, i) => {
    if (h != null && ok[i] && !budget.overBudget(h.author)) wants(h.author, h.prev, h.deps)
  })
  // What waits inside the pending buffer waits for its own references too, on behalf of the same authors.
  const byId = new Map(pending.map((p) => [p.id as string, p]))
  while (queue.length > 0) {
    const id = queue.pop() as string
    const p = byId.get(id)
    if (p != null) for (const by of want.get(id) ?? []) wants(by, p.event.prev, p.event.deps)
  }
  if (want.size === 0) return 0
  // Batches come in (lamport, id) order: walk back so a needed event's own ancestors follow.
  let n = 0
  for (let i = events.length - 1; i >= 0; i--) {
    const h = heads[i]
    if (ok[i] || h == null) continue
    const who = want.get(cidOf(events[i]))
    if (who == null || ![...who].some((a) => a !== h.author)) continue
    ok[i] = true
    n++
    for (const by of who) if (by !== h.author) wants(by, h.prev, h.deps)
  }
  return n
}
