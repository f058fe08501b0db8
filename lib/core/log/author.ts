/**
 * Local authoring: fills seq/prev/deps/lamport/time, validates the payload, signs through
 * the injected signer and adds the event to the log like any other.
 */
import { signEvent } from '../events/codec'
import { ENVELOPE_VERSION, MAX_DEPS } from '../events/constants'
import type { EncodedEvent, UnsignedEvent } from '../events/envelope'
import { payloadSchemas, type EventKind, type PayloadInput, type PayloadOf } from '../events/kinds'
import type { Signer } from '../events/signer'
import { messageType } from '../events/kinds/message'
import type { EventId } from '../ids'
import type { EventLog } from './log'
import { EventRejectedError } from './reasons'
import type { StoredEvent } from './stored'

/** Of the events an author is asked to cite, at most this many displace the highest heads. */
const MAX_CITED = 2

/**
 * Causal links: per other author its highest-Lamport event (its head; for an equivocator the
 * highest of its forks), the MAX_DEPS highest overall (ties by id). The global maximum is
 * always among them, which is what lets admission bound Lamport jumps (ADR 0004). `cite`:
 * events that should be witnessed (the heads of members whose join nobody has cited yet, ADR
 * 0065); up to two of them take the places of the lowest heads.
 */
export function chooseDeps(log: EventLog, self: string, cite: readonly EventId[] = []): EventId[] {
  const heads: StoredEvent[] = []
  for (const a of log.authors()) {
    const latest = a === self ? undefined : log.latestOf(a)
    if (latest) heads.push(latest)
  }
  heads.sort((x, y) => y.event.lamport - x.event.lamport || (x.id < y.id ? -1 : 1))
  const extra = cite.filter((id) => log.get(id)?.event.author !== self && !heads.slice(0, MAX_DEPS).some((h) => h.id === id)).slice(0, MAX_CITED)
  return [...heads.slice(0, MAX_DEPS - extra.length).map((h) => h.id), ...extra].sort()
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

/** Build the next unsigned envelope of `signer` in `log` for a kind and payload. */
export function nextEnvelope<K extends EventKind>(log: EventLog, signer: Signer, kind: K, payload: PayloadInput<K>, now: number, cite: readonly EventId[] = []): UnsignedEvent<K> {
  const parsed = pinned(kind, payloadSchemas[kind].parse(payload) as PayloadOf<K>)
  const seq = log.topSeq(signer.peerId) + 1
  const prevId = seq > 1 ? log.idsAt(signer.peerId, seq - 1)[0] : null
  const prev = prevId ? log.get(prevId) : undefined
  const genesis = kind === 'room.created'
  return {
    v: ENVELOPE_VERSION,
    room: genesis ? '' : log.room,
    kind,
    author: signer.peerId,
    seq,
    prev: prevId,
    deps: genesis ? [] : chooseDeps(log, signer.peerId, cite),
    lamport: log.maxLamport + 1,
    // Never behind our own previous event: admission rejects clocks running backwards.
    time: Math.max(now, prev?.event.time ?? 0),
    payload: parsed,
  }
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
