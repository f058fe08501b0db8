/**
 * Local authoring: fills seq/prev/deps/lamport/time, validates the payload, signs through
 * the injected signer and adds the event to the log like any other.
 */
import { signEvent } from '../events/codec'
import { ENVELOPE_VERSION, MAX_DEPS } from '../events/constants'
import type { AnyEvent, EncodedEvent, UnsignedEvent } from '../events/envelope'
import { payloadSchemas, type EventKind, type PayloadInput, type PayloadOf } from '../events/kinds'
import type { Signer } from '../events/signer'
import { messageType } from '../events/kinds/message'
import type { EventId, PeerId } from '../ids'
import { referencesOf } from './admission'
import type { EventLog } from './log'
import { EventRejectedError } from './reasons'
import type { StoredEvent } from './stored'

/** Of the events an author is asked to cite, at most this many displace the highest heads. */
const MAX_CITED = 2

/**
 * An author is hot while it writes faster than HOT_RATE events/s of its own clock over its last
 * HOT_SPAN events (or all of them, if at least HOT_SPAN / 4): faster than the default per-author
 * budget, so peers admit its events at the budget's pace, each through its own queue, and may
 * hold fewer of them than this peer does. Its events HOT_SPAN back are ones they hold too.
 */
export const HOT_SPAN = 64
export const HOT_RATE = 100

/** Tunables of the citing rule (tests shrink them). */
export interface CiteRule {
  hotSpan?: number
  hotRate?: number
}

/** The stored event of `author` at `seq` with the highest Lamport clock (forks: the highest). */
function eventAt(log: EventLog, author: PeerId, seq: number): StoredEvent | undefined {
  let best: StoredEvent | undefined
  for (const id of log.idsAt(author, seq)) {
    const s = log.get(id)
    if (s && (!best || s.event.lamport > best.event.lamport)) best = s
  }
  return best
}

/** True if `author`, whose latest event is `head`, writes faster than the rule's rate (see HOT_SPAN). */
export function isHot(log: EventLog, head: StoredEvent, rule: CiteRule = {}): boolean {
  const span = rule.hotSpan ?? HOT_SPAN
  const m = Math.min(span, head.event.seq - 1)
  if (m < span / 4) return false
  const back = eventAt(log, head.event.author, head.event.seq - m)
  return back !== undefined && (head.event.time - back.event.time) * (rule.hotRate ?? HOT_RATE) < m * 1000
}

/**
 * The event of another author to cite: its head, or for a hot author its event HOT_SPAN before
 * the head (its first, if the chain is shorter), which peers that admit it at the budget's pace
 * hold as well (ADR 0096).
 */
export function citedOf(log: EventLog, author: PeerId, rule: CiteRule = {}): StoredEvent | undefined {
  const head = log.latestOf(author)
  if (!head || !isHot(log, head, rule)) return head
  return eventAt(log, author, Math.max(1, head.event.seq - (rule.hotSpan ?? HOT_SPAN))) ?? head
}

/** True if `author` has a `member.joined` at a seq in (from, to]: citing `from` would not witness it. */
function joinsBetween(log: EventLog, author: PeerId, from: number, to: number): boolean {
  for (let s = from + 1; s <= to; s++) if (log.idsAt(author, s).some((id) => log.get(id)?.event.kind === 'member.joined')) return true
  return false
}

/**
 * Causal links: per other author its head (highest-Lamport event; for an equivocator the
 * highest of its forks) — or, for an author writing faster than the budget, its event HOT_SPAN
 * back (citedOf) — the MAX_DEPS highest overall (ties by id). The new event's Lamport clock is
 * then one above its highest reference (nextEnvelope), which is what admission bounds (ADR
 * 0004, 0096). `cite`: events that should be witnessed (the heads of members whose join nobody
 * has cited yet, ADR 0065); up to two of them take the places of the lowest heads; a hot
 * author's is replaced by its cited event when that already follows the join. `named`: events
 * the payload answers (a message's `re`): a hot author's is cited instead of an earlier one, so
 * a reply always folds after what it replies to.
 */
export function chooseDeps(log: EventLog, self: string, cite: readonly EventId[] = [], named: readonly EventId[] = [], rule: CiteRule = {}): EventId[] {
  const chosen = new Map<PeerId, StoredEvent>()
  for (const a of log.authors()) {
    const c = a === self ? undefined : citedOf(log, a, rule)
    if (c) chosen.set(a, c)
  }
  for (const id of named) {
    const n = log.get(id)
    const c = n && chosen.get(n.event.author)
    if (c && n.event.seq > c.event.seq) chosen.set(n.event.author, n)
  }
  const heads = [...chosen.values()].sort((x, y) => y.event.lamport - x.event.lamport || (x.id < y.id ? -1 : 1))
  const top = heads.slice(0, MAX_DEPS)
  const extra: EventId[] = []
  for (const id of cite) {
    const s = log.get(id)
    if (!s || s.event.author === self || extra.includes(id) || top.some((h) => h.id === id)) continue
    const c = chosen.get(s.event.author)
    // A hot author's cited event witnesses its join as well as its head would, unless it rejoined since.
    if (c && c.id !== s.id && c.event.seq < s.event.seq && !joinsBetween(log, s.event.author, c.event.seq, s.event.seq)) {
      if (top.includes(c) || extra.includes(c.id)) continue
      extra.push(c.id)
    } else extra.push(id)
  }
  const cited = extra.slice(0, MAX_CITED)
  return [...new Set([...heads.slice(0, MAX_DEPS - cited.length).map((h) => h.id), ...cited])].sort()
}

/**
 * Local authors write a message's classified type into the event, so that a later change of
 * the classifier never reinterprets shipped events (consensus is verified from these types).
 */
function pinned<K extends EventKind>(kind: K, payload: PayloadOf<K>): PayloadOf<K> {
  if (kind !== 'session.message') return payload
  const m = payload as PayloadOf<'session.message'>
  return { ...m, type: messageType(m) } as PayloadOf<K>
}

/** Events a payload answers, which its deps must reach (a message's `re`). */
function named<K extends EventKind>(kind: K, payload: PayloadOf<K>): EventId[] {
  const re = kind === 'session.message' ? (payload as PayloadOf<'session.message'>).re : undefined
  return re ? [re] : []
}

/** Build the next unsigned envelope of `signer` in `log` for a kind and payload. */
export function nextEnvelope<K extends EventKind>(log: EventLog, signer: Signer, kind: K, payload: PayloadInput<K>, now: number, cite: readonly EventId[] = [], rule: CiteRule = {}): UnsignedEvent<K> {
  const parsed = pinned(kind, payloadSchemas[kind].parse(payload) as PayloadOf<K>)
  const seq = log.topSeq(signer.peerId) + 1
  const prevId = seq > 1 ? log.idsAt(signer.peerId, seq - 1)[0] : null
  const prev = prevId ? log.get(prevId) : undefined
  const genesis = kind === 'room.created'
  const env: UnsignedEvent<K> = {
    v: ENVELOPE_VERSION,
    room: genesis ? '' : log.room,
    kind,
    author: signer.peerId,
    seq,
    prev: prevId,
    deps: genesis ? [] : chooseDeps(log, signer.peerId, cite, named(kind, parsed), rule),
    lamport: log.maxLamport + 1,
    // Never behind our own previous event: admission rejects clocks running backwards.
    time: Math.max(now, prev?.event.time ?? 0),
    payload: parsed,
  }
  // One above the highest reference: the most admission allows, and above every event the deps
  // reach. Without a hot author it is the log's maximum + 1; with one it may sit below that
  // author's newest events, which the new event does not depend on. A reference not held here
  // (evidence still missing) leaves the log's maximum: the add parks the event anyway.
  let top = -Infinity
  for (const r of genesis ? [] : referencesOf(env as unknown as AnyEvent, log.room)) {
    const l = log.get(r)?.event.lamport
    if (l === undefined) return env
    top = Math.max(top, l)
  }
  return top === -Infinity ? env : { ...env, lamport: top + 1 }
}

/** Author, sign and add one event; throws EventRejectedError if refused. Not serialized: concurrent callers use Replica.author. */
export async function authorEvent<K extends EventKind>(
  log: EventLog,
  signer: Signer,
  kind: K,
  payload: PayloadInput<K>,
  now: number = Date.now(),
): Promise<EncodedEvent> {
  const enc = await signEvent(nextEnvelope(log, signer, kind, payload, now), signer)
  const r = await log.add(enc)
  if (r.status === 'rejected') throw new EventRejectedError(r.reason, r.detail)
  if (r.status === 'pending') throw new EventRejectedError('pending', `missing ${r.missing.join(', ')}`)
  return enc
}

/** Sign a room's genesis (`room.created`); its id is the new room's id. */
export async function createGenesis(signer: Signer, payload: PayloadInput<'room.created'>, now: number = Date.now()): Promise<EncodedEvent> {
  const event: UnsignedEvent<'room.created'> = {
    v: ENVELOPE_VERSION,
    room: '',
    kind: 'room.created',
    author: signer.peerId,
    seq: 1,
    prev: null,
    deps: [],
    lamport: 1,
    time: now,
    payload: payloadSchemas['room.created'].parse(payload),
  }
  return signEvent(event, signer)
}
