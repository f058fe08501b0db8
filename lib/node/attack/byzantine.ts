/**
 * A Byzantine peer for tests and demos on loopback: a real member of the room (it
 * joins with an agent invite) that publishes hand-made events straight onto the events topic,
 * skipping its own checks. Each attack returns the ids it tried to inject, so a test can prove
 * no honest peer accepted them.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { randomBytes } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import { cidOf, encodeCanonical, signEvent } from '../../core/events/codec'
import type { EncodedEvent, UnsignedEvent } from '../../core/events/envelope'
import type { EventKind, PayloadInput } from '../../core/events/kinds'
import type { Signer } from '../../core/events/signer'
import { asSessionId, type EventId } from '../../core/ids'
import { nextEnvelope } from '../../core/log/author'
import { libp2pSigner } from '../../net/keys'
import { eventsTopic } from '../../net/topics'
import type { MeshAgent } from '../agent/mesh-agent'

export const ATTACKS = [
  'forged-signature',
  'replay',
  'oversized',
  'malformed',
  'forged-derived',
  'role-escalation',
  'non-member',
  'flood',
  'equivocation',
] as const
export type AttackName = (typeof ATTACKS)[number]

export interface AttackResult {
  attack: AttackName
  /** Messages put on the wire. */
  sent: number
  /** Ids of events that must not be accepted anywhere (empty when the bytes have no id). */
  forbidden: EventId[]
}

const task = (id: string, repository: string, title: string) => ({ taskId: id, projectId: 'attack', repository, title, description: '' })

/** Drives attacks through a joined MeshAgent; see the module comment. */
export class ByzantinePeer {
  private readonly signer: Signer
  private counter = 0

  constructor(private readonly agent: MeshAgent) {
    this.signer = agent.peer.signer
  }

  /** Runs one attack by name. */
  run(attack: AttackName, opts: { rate?: number; durationMs?: number } = {}): Promise<AttackResult> {
    switch (attack) {
      case 'forged-signature': return this.forgedSignature()
      case 'replay': return this.replay()
      case 'oversized': return this.oversized()
      case 'malformed': return this.malformed()
      case 'forged-derived': return this.forgedDerived()
      case 'role-escalation': return this.roleEscalation()
      case 'non-member': return this.nonMember()
      case 'flood': return this.flood(opts.rate ?? 1000, opts.durationMs ?? 10_000)
      case 'equivocation': return this.equivocation()
    }
  }

  private get log() {
    return this.agent.peer.host.replica.log
  }

  private async publish(bytes: Uint8Array): Promise<void> {
    await this.agent.node.services.pubsub.publish(eventsTopic(this.agent.room.room), bytes).catch(() => undefined)
  }

  private envelope<K extends EventKind>(kind: K, payload: PayloadInput<K>, signer = this.signer): UnsignedEvent<K> {
    return nextEnvelope(this.log, signer, kind, payload, Date.now())
  }

  /** An event claiming to be by an honest member, and one by us with a corrupted signature. */
  async forgedSignature(): Promise<AttackResult> {
    const victim = this.log.authors().find((a) => a !== this.signer.peerId && a !== this.agent.room.room)
    const forbidden: EventId[] = []
    const base = this.envelope('task.claimed', task(`forged-${++this.counter}`, 'api', 'Forged authorship'))
    const asVictim = { ...base, author: victim ?? base.author, sig: new Uint8Array(64).fill(7) }
    const mine = await signEvent(this.envelope('task.claimed', task(`badsig-${++this.counter}`, 'api', 'Bad signature')), this.signer)
    const corrupted = { ...mine.event, sig: mine.event.sig.map((b, i) => (i === 0 ? b ^ 0xff : b)) }
    for (const e of [asVictim, corrupted]) {
      const bytes = encodeCanonical(e)
      forbidden.push(cidOf(bytes))
      await this.publish(bytes)
    }
    return { attack: 'forged-signature', sent: 2, forbidden }
  }

  /** Every event we hold, published again (old honest events included). */
  async replay(): Promise<AttackResult> {
    const all = this.log.all()
    for (const e of all) await this.publish(e.bytes)
    return { attack: 'replay', sent: all.length, forbidden: [] }
  }

  /** A validly signed event over the 64 KiB limit. */
  async oversized(): Promise<AttackResult> {
    const env = this.envelope('task.claimed', task(`big-${++this.counter}`, 'api', 'Oversized'))
    const big = { ...env, payload: { ...env.payload, description: 'x'.repeat(70 * 1024) } }
    const sig = await this.signer.sign(encodeCanonical(big))
    const bytes = encodeCanonical({ ...big, sig })
    await this.publish(bytes)
    return { attack: 'oversized', sent: 1, forbidden: [cidOf(bytes)] }
  }

  /** Random bytes, CBOR of the wrong shape, and an envelope whose payload fails its schema. */
  async malformed(): Promise<AttackResult> {
    const env = this.envelope('task.claimed', task(`bad-${++this.counter}`, 'api', 'Malformed'))
    const wrongPayload = { ...env, payload: { taskId: 42 } }
    const sig = await this.signer.sign(encodeCanonical(wrongPayload))
    const messages = [randomBytes(200), dagCbor.encode({ hello: 'world' }), encodeCanonical({ ...wrongPayload, sig })]
    for (const m of messages) await this.publish(m)
    return { attack: 'malformed', sent: messages.length, forbidden: [cidOf(messages[2])] }
  }

  /** A `dependency.detected` between two unrelated tasks the rules never link. */
  async forgedDerived(): Promise<AttackResult> {
    const a = await this.agent.peer.author('task.claimed', task(`typo-${++this.counter}`, 'docs', 'Fix typo in README'))
    const b = await this.agent.peer.author('task.claimed', task(`lodash-${++this.counter}`, 'web', 'Bump lodash version'))
    const [first, second] = [a, b].sort((x, y) => ((x.event.payload as { taskId: string }).taskId < (y.event.payload as { taskId: string }).taskId ? -1 : 1))
    const t = (e: EncodedEvent) => (e.event.payload as { taskId: string }).taskId
    const forged = await signEvent(
      this.envelope('dependency.detected', {
        dependency: { task1: t(first), task2: t(second), relationship: 'API_Contract', confidence: 0.9, reason: 'trust me' },
        claims: [first.id, second.id],
      }),
      this.signer,
    )
    await this.publish(forged.bytes)
    return { attack: 'forged-derived', sent: 1, forbidden: [forged.id] }
  }

  /** A reviewer's action (`plan.approved`) signed by us, an agent. */
  async roleEscalation(): Promise<AttackResult> {
    const session = [...this.agent.peer.host.replica.state.sessions.keys()][0] ?? asSessionId('ses_' + '0'.repeat(32))
    const e = await signEvent(this.envelope('plan.approved', { session, version: 1 }), this.signer)
    await this.publish(e.bytes)
    return { attack: 'role-escalation', sent: 1, forbidden: [e.id] }
  }

  /** A task claimed by a fresh key that never joined the room. */
  async nonMember(): Promise<AttackResult> {
    const stranger = libp2pSigner(await generateKeyPair('Ed25519'))
    const e = await signEvent(this.envelope('task.claimed', task(`stranger-${++this.counter}`, 'api', 'Not a member'), stranger), stranger)
    await this.publish(e.bytes)
    return { attack: 'non-member', sent: 1, forbidden: [e.id] }
  }

  /** Valid, chained events at `rate` per second for `durationMs` (bounded; stops by itself). */
  async flood(rate: number, durationMs: number): Promise<AttackResult> {
    const total = Math.min(Math.floor((rate * durationMs) / 1000), 100_000)
    const start = Date.now()
    let env = this.envelope('task.claimed', task(`flood-${++this.counter}-0`, 'flood', 'Flood 0'))
    for (let i = 0; i < total; i++) {
      const e = await signEvent(env, this.signer)
      await this.publish(e.bytes)
      env = { ...env, seq: env.seq + 1, prev: e.id, lamport: env.lamport + 1, payload: task(`flood-${this.counter}-${i + 1}`, 'flood', `Flood ${i + 1}`) }
      const due = start + ((i + 1) * 1000) / rate
      const wait = due - Date.now()
      // Behind schedule, still let the socket write: a loop that only awaits microtasks would
      // hold everything back and send the whole flood as one burst at the end.
      await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)))
    }
    return { attack: 'flood', sent: total, forbidden: [] }
  }

  /** Two different, validly signed events at the same (author, seq). */
  async equivocation(): Promise<AttackResult> {
    const one = await signEvent(this.envelope('task.claimed', task(`twin-a-${++this.counter}`, 'api', 'One story')), this.signer)
    const two = await signEvent(this.envelope('task.claimed', task(`twin-b-${this.counter}`, 'web', 'Another story')), this.signer)
    await this.publish(one.bytes)
    await this.publish(two.bytes)
    return { attack: 'equivocation', sent: 2, forbidden: [] }
  }
}

