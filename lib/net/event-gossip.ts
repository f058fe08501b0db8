/**
 * Push half of replication (DESIGN §4): events are published on the room's events topic, and
 * a topic validator runs every incoming event through the replica's ingest path before
 * gossipsub may forward it. Reject (lowers the sender's peer score) for events that can never
 * be valid; Ignore for duplicates and events still waiting for references (sync fetches those);
 * Accept for new events and for equivocation evidence, which every honest peer should hold.
 * Two budgets run before any signature work: a per-forwarder token bucket (ADR 0024), only a
 * guard against an absurd connection, then the budget of the event's author read from its
 * header (ADR 0061), so a member's flood is throttled where it enters and an honest relay
 * forwarding it is never throttled as a whole. Both drop with Ignore (no penalty).
 */
import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import type { Libp2p } from '@libp2p/interface'
import { gossipVerdict, type AddResult } from '../core/log/reasons'
import { peekHeader } from './event-header'
import { AuthorLanes } from './author-lanes'
import { Pacer } from './pacer'
import { AuthorBudget, PeerRateLimiter } from './rate-limit'
import { eventsTopic } from './topics'

export interface EventGossipInit {
  room: string
  /** Per-peer message and byte budget, checked before any decoding or signature work. */
  limiter?: PeerRateLimiter
  /** Per-author budget, checked on the header's claim before verifying, charged after. */
  authors?: AuthorBudget
  /** The one ingest path: validate, store durably, fold. */
  ingest: (bytes: Uint8Array, from: string) => Promise<AddResult>
  onPublishError?: (err: Error) => void
}

const VERDICTS = { accept: TopicValidatorResult.Accept, ignore: TopicValidatorResult.Ignore, reject: TopicValidatorResult.Reject } as const

/** Maps the log's verdict (the core's `gossipVerdict`) to gossipsub's. */
export const validatorResult = (r: AddResult): TopicValidatorResult => VERDICTS[gossipVerdict(r)]

/**
 * True if the result means the signature verified and the event was new here: only those
 * spend the author's budget (a forged or replayed event must not spend an honest author's).
 */
export const chargesAuthor = (r: AddResult): boolean =>
  r.status === 'accepted' || r.status === 'pending' || (r.status === 'rejected' && (r.reason === 'equivocation' || r.reason === 'pending_overflow'))

/** See the module comment. */
export class EventGossip {
  private readonly node: Libp2p<{ pubsub: GossipSub }>
  private readonly init: EventGossipInit
  private readonly topic: string
  publishErrors = 0
  /** Messages that reached our validator (before any budget). */
  received = 0
  /** Messages dropped because their sender or their author was over its budget (both below). */
  rateLimited = 0
  /** Of those, dropped on the forwarding peer's budget. */
  forwarderLimited = 0
  /** Of those, dropped on the author's budget. */
  authorLimited = 0
  /** Events each neighbour sent us that we rejected, by reason (the peers view flags them). */
  readonly rejectedFrom = new Map<string, Record<string, number>>()
  readonly limiter: PeerRateLimiter
  readonly authors: AuthorBudget
  /**
   * Events let through and not yet charged, per (author, forwarder): gossipsub validates every
   * message of a backlog concurrently, so without counting these a burst of thousands would all
   * pass the check before the first is charged. Per forwarder, so a forger's in-flight claims
   * never count against the same author's events arriving from anyone else.
   */
  private readonly inFlight = new Map<string, number>()
  /** Spreads the verdicts of a backlog over turns, and with them gossipsub's forwarding. */
  readonly pacer = new Pacer()
  /** At most a few events of one (author, forwarder) in the replica host at once (author-lanes.ts). */
  readonly lanes = new AuthorLanes()

  constructor(node: Libp2p<{ pubsub: GossipSub }>, init: EventGossipInit) {
    this.node = node
    this.init = init
    this.topic = eventsTopic(init.room)
    this.limiter = init.limiter ?? new PeerRateLimiter()
    this.authors = init.authors ?? new AuthorBudget()
  }

  start(): void {
    const pubsub = this.node.services.pubsub
    pubsub.topicValidators.set(this.topic, async (peer, msg) => {
      this.received++
      const from = peer.toString()
      // Over budget: drop without verifying (Ignore: the sender may be an honest forwarder).
      if (!this.limiter.allow(from, msg.data.byteLength)) {
        this.rateLimited++
        this.forwarderLimited++
        return TopicValidatorResult.Ignore
      }
      // No header: let the ingest path reject it as malformed (and penalise the sender).
      const head = peekHeader(msg.data)
      const key = head == null ? '' : `${head.author}\n${from}`
      if (head != null && !this.authors.allows(head.author, head.author !== from, this.inFlight.get(key) ?? 0)) {
        this.rateLimited++
        this.authorLimited++
        return TopicValidatorResult.Ignore
      }
      if (head != null) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1)
      const leave = await this.lanes.enter(key)
      try {
        let r: AddResult
        try {
          r = await this.init.ingest(msg.data, from)
        } finally {
          leave()
        }
        // The log verified the signature of exactly these bytes, whose author the header names.
        if (head != null && chargesAuthor(r)) this.authors.charge(head.author)
        const verdict = validatorResult(r)
        if (verdict === TopicValidatorResult.Reject && r.status === 'rejected') this.noteRejection(peer.toString(), r.reason)
        // An accepted event is forwarded to every subscriber as soon as this returns.
        if (verdict === TopicValidatorResult.Accept) await this.pacer.pass(head?.author)
        return verdict
      } catch {
        // The ingest path never throws on remote input; if storage failed, let sync retry later.
        return TopicValidatorResult.Ignore
      } finally {
        if (head != null) {
          const left = (this.inFlight.get(key) ?? 1) - 1
          if (left > 0) this.inFlight.set(key, left)
          else this.inFlight.delete(key)
        }
      }
    })
    pubsub.subscribe(this.topic)
  }

  private noteRejection(peer: string, reason: string): void {
    let byReason = this.rejectedFrom.get(peer)
    if (byReason == null) {
      if (this.rejectedFrom.size >= 10_000) this.rejectedFrom.clear()
      this.rejectedFrom.set(peer, (byReason = {}))
    }
    byReason[reason] = (byReason[reason] ?? 0) + 1
  }

  stop(): void {
    this.node.services.pubsub.topicValidators.delete(this.topic)
  }

  /** Publishes an event this peer has already stored. Never throws: sync repairs a lost publish. */
  async publish(bytes: Uint8Array): Promise<number> {
    try {
      const r = await this.node.services.pubsub.publish(this.topic, bytes)
      return r.recipients.length
    } catch (err) {
      this.publishErrors++
      this.init.onPublishError?.(err as Error)
      return 0
    }
  }
}
