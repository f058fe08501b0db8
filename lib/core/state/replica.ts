/**
 * A replica of one room: the event log plus its incrementally folded state. This is the one
 * ingest path the network layer, storage and UI stores use.
 */
import { Authority } from '../authority/authority'
import { signEvent } from '../events/codec'
import type { EncodedEvent, SignedEvent } from '../events/envelope'
import type { EventKind, PayloadInput } from '../events/kinds'
import type { Signer } from '../events/signer'
import { admit, referencesOf } from '../log/admission'
import { nextEnvelope } from '../log/author'
import { EventLog, type EventLogInit } from '../log/log'
import { EventRejectedError, type AddResult } from '../log/reasons'
import { LiveSummary } from '../log/live-summary'
import { eventsMissingFrom, type Summary } from '../log/summary'
import type { StoredEvent } from '../log/stored'
import { DependencyCache } from '../sessions/dependency-cache'
import { due, type DueEvent } from '../sessions/due'
import { stateDigest } from './digest'
import { Fold, type FoldOptions } from './fold'
import type { RoomState } from './types'

export type ReplicaInit = Omit<EventLogInit, 'onStored' | 'onQuarantine'> & {
  /** Called for every newly stored event after it is folded (persistence, UI notification). */
  onStored?: (e: StoredEvent) => void
  /** Checkpoint spacing and count of the fold (tests shrink them; defaults in fold.ts). */
  checkpoints?: FoldOptions
}

/** The log and its folded state: the one ingest path for network, storage and local authoring. */
export class Replica {
  readonly log: EventLog
  /** Who holds authority, from causal history (ADR 0065); the fold reads it. */
  readonly authority: Authority
  private readonly fold: Fold
  private readonly clock: () => number
  private authoring: Promise<void> = Promise.resolve()
  /** Signers whose signature has verified here once, with the peer id it verified for. */
  private readonly provenSigners = new WeakMap<Signer, string>()
  private readonly dependencyCache = new DependencyCache()
  /** The sync summary, told of every stored event and quarantine: it is a function of them. */
  private readonly live: LiveSummary

  constructor(init: ReplicaInit) {
    this.clock = init.now ?? (() => Date.now())
    this.log = new EventLog({
      ...init,
      onStored: (e) => {
        this.live.touch(e.event.author)
        this.fold.insert(e, this.authority.observe(e))
        init.onStored?.(e)
      },
      onQuarantine: (author, seq) => {
        this.live.touch(author)
        this.fold.quarantineAuthor(author, seq)
        this.fold.revise(this.authority.reevaluate())
      },
    })
    this.authority = new Authority(this.log)
    this.live = new LiveSummary(this.log)
    this.fold = new Fold(init.room, init.checkpoints, this.authority)
  }

  /** Add an event from anywhere (network, storage, local). Never throws. */
  async add(input: Uint8Array | EncodedEvent | SignedEvent, signedHere = false): Promise<AddResult> {
    const r = await this.log.add(input, signedHere)
    if (r.status !== 'accepted') return r
    const stored = this.log.get(r.id)
    return stored && !this.authority.counts(stored) ? { ...r, inert: true } : r
  }

  /**
   * Author, sign and add an event as `signer`; throws EventRejectedError if refused.
   * Calls are serialized: two overlapping calls would otherwise both take the next seq while
   * the first awaits its signature, and the author would equivocate against itself.
   * `persist`: makes the signed event durable before it enters the replica (once admission
   * accepts it), so an event whose write fails is nowhere — not in the log, not served to
   * peers — and the author's next event takes the same seq.
   */
  author<K extends EventKind>(signer: Signer, kind: K, payload: PayloadInput<K>, persist?: (enc: EncodedEvent) => Promise<void>): Promise<EncodedEvent> {
    const run = this.authoring.then(() => this.authorNow(signer, kind, payload, persist))
    this.authoring = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  private async authorNow<K extends EventKind>(signer: Signer, kind: K, payload: PayloadInput<K>, persist?: (enc: EncodedEvent) => Promise<void>): Promise<EncodedEvent> {
    const enc = await signEvent(nextEnvelope(this.log, signer, kind, payload, this.clock(), this.authority.toWitness()), signer)
    // With references missing the add below parks it (and throws): nothing to persist then.
    if (persist && referencesOf(enc.event, this.log.room).every((r) => this.log.has(r))) {
      const a = admit(enc.id, enc.event, this.log, true)
      if (!a.ok) throw new EventRejectedError(a.reason, a.detail)
      await persist(enc)
    }
    // A signer's first event here is verified like any other: a key that does not match its
    // peer id is refused before anything it signs is trusted without a check.
    const r = await this.add(enc, this.provenSigners.get(signer) === enc.event.author)
    if (r.status === 'rejected') throw new EventRejectedError(r.reason, r.detail)
    if (r.status === 'pending') throw new EventRejectedError('pending', `missing ${r.missing.join(', ')}`)
    this.provenSigners.set(signer, enc.event.author)
    return enc
  }

  /** The folded state (read-only). */
  get state(): RoomState {
    return this.fold.state
  }

  /** The derived events due now (sessions/due.ts), with incremental dependency detection. */
  due(now: number = this.clock()): DueEvent[] {
    return due(this.fold.state, now, this.dependencyCache)
  }

  /** Hash of the folded state. */
  digest(): string {
    return stateDigest(this.fold.state)
  }

  /**
   * The sync summary (version vector + Merkle root), kept up to date per stored event: every
   * sync round reads it on both sides, and a tab reads its root after every folded change.
   * The same object until the next change. Treat as read-only.
   */
  summary(): Summary {
    return this.live.summary()
  }

  /** Events a peer with `remote` summary may lack. */
  missingFrom(remote: Summary): EncodedEvent[] {
    return eventsMissingFrom(this.log, remote, this.summary())
  }

  /** True while late events owe a replay of the fold that no read of the state has run yet. */
  get replayOwed(): boolean {
    return this.fold.replayOwed
  }

  /** Times a late event forced a replay. */
  get rewindCount(): number {
    return this.fold.rewindCount
  }
}
