/** Test helpers around a Replica: a room with members, plans, and emitting due events. */
import type { Role } from '../events/kinds/common'
import type { RoomConfigPatch } from '../events/kinds/room'
import type { Signer } from '../events/signer'
import { signInvite } from '../events/verify'
import { createGenesis } from '../log/author'
import type { Plan } from '../planner/plan'
import { Replica } from '../state/replica'
import type { SessionId } from '../ids'
import { AUTH_API, LOGIN_PAGE } from './tasks'
import { testSigner, testVerifier } from './ed25519'
import { inviteBody, testClock, type TestClock } from './room'

export interface ReplicaRoom {
  replica: Replica
  owner: Signer
  clock: TestClock
  /** Invite and join a new member named `name`. */
  member(name: string, role: Exclude<Role, 'owner'>): Promise<Signer>
  /** Emit every due derived event as `as`; returns how many. */
  emitDue(as: Signer): Promise<number>
}

/** A replica of a fresh room owned by "owner". */
export async function replicaRoom(config: RoomConfigPatch = {}): Promise<ReplicaRoom> {
  const clock = testClock()
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'room', open: false, config, owner: { displayName: 'Owner', kind: 'human', capabilities: [] } }, clock.now())
  const replica = new Replica({ room: genesis.id, verifier: testVerifier, now: clock.now })
  await replica.add(genesis)
  let n = 0
  return {
    replica,
    owner,
    clock,
    async member(name, role) {
      const who = testSigner(name)
      const invite = await signInvite(inviteBody(genesis.id, owner, role, { nonce: `nonce-${++n}-${role}` }), owner)
      await replica.author(who, 'member.joined', { displayName: name, kind: role === 'agent' ? 'agent' : 'human', capabilities: [], invite })
      return who
    },
    async emitDue(as) {
      const events = replica.due(clock.now())
      for (const d of events) await replica.author(as, d.kind, d.payload)
      return events.length
    },
  }
}

/** A minimal valid plan putting `first` before `second`. */
export const planFor = (first: string, second: string, summary = 'Define the contract first'): Plan => ({
  summary,
  sequence: [
    { taskId: first, order: 1, reason: 'it defines the contract' },
    { taskId: second, order: 2, reason: 'it consumes the contract' },
  ],
  artifacts: [{ name: 'API spec', description: 'OpenAPI document', producer: first, consumers: [second] }],
  coordinationPoints: ['review the spec together'],
  risks: ['the contract changes late'],
  successCriteria: ['login works end to end'],
  planner: { kind: 'template' },
})

/**
 * Agents ann and bob claim AUTH_API and LOGIN_PAGE in `room` and ann emits what is due: the
 * dependency between them and its session. Resolves to the two agents and the session's id.
 */
export async function dependencySession(room: ReplicaRoom): Promise<{ ann: Signer; bob: Signer; session: SessionId }> {
  const ann = await room.member('ann', 'agent')
  const bob = await room.member('bob', 'agent')
  await room.replica.author(ann, 'task.claimed', AUTH_API)
  await room.replica.author(bob, 'task.claimed', LOGIN_PAGE)
  await room.emitDue(ann)
  await room.emitDue(ann)
  return { ann, bob, session: [...room.replica.state.sessions.keys()][0] }
}
