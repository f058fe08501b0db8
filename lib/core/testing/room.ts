/** Test helpers: a room with an owner, invites and joined members, on a controllable clock. */
import type { EncodedEvent } from '../events/envelope'
import type { Role } from '../events/kinds/common'
import type { InviteBody } from '../events/kinds/invite'
import type { RoomConfigPatch } from '../events/kinds/room'
import type { Signer } from '../events/signer'
import { signInvite } from '../events/verify'
import type { EventId } from '../ids'
import { authorEvent, createGenesis } from '../log/author'
import { EventLog, type EventLogInit } from '../log/log'
import { testSigner, testVerifier } from './ed25519'

/** 2026-11-22T12:00:00Z: a fixed start so fixtures and tests are reproducible. */
export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0)

export interface TestClock {
  now: () => number
  advance(ms: number): void
}

/** A manual clock starting at T0. */
export function testClock(start = T0): TestClock {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

export interface TestRoom {
  owner: Signer
  genesis: EncodedEvent
  log: EventLog
  clock: TestClock
}

/** Create a room owned by "owner" and a log holding its genesis. */
export async function makeRoom(opts: { open?: boolean; config?: RoomConfigPatch; log?: Partial<EventLogInit> } = {}): Promise<TestRoom> {
  const clock = testClock()
  const owner = testSigner('owner')
  const genesis = await createGenesis(
    owner,
    { name: 'test room', open: opts.open ?? false, config: opts.config ?? {}, owner: { displayName: 'Owner', kind: 'human', capabilities: [] } },
    clock.now(),
  )
  const log = new EventLog({ room: genesis.id, verifier: testVerifier, now: clock.now, ...opts.log })
  await log.add(genesis)
  return { owner, genesis, log, clock }
}

/** An invite body from `issuer` for `role`, valid for a day. */
export function inviteBody(room: EventId, issuer: Signer, role: Exclude<Role, 'owner'>, extra: Partial<InviteBody> = {}): InviteBody {
  return { room, role, expires: T0 + 24 * 3600_000, maxUses: 10, nonce: `nonce-${role}-0001`, issuer: issuer.peerId, ...extra }
}

/** Join `who` to the room with an invite from `issuer` (the owner by default). */
export async function join(room: TestRoom, who: Signer, role: Exclude<Role, 'owner'>, issuer: Signer = room.owner, extra: Partial<InviteBody> = {}): Promise<EncodedEvent> {
  const invite = await signInvite(inviteBody(room.genesis.id, issuer, role, extra), issuer)
  const kind = role === 'agent' ? 'agent' : 'human'
  return authorEvent(room.log, who, 'member.joined', { displayName: who.peerId.slice(-6), kind, capabilities: role === 'agent' ? ['planner'] : [], invite }, room.clock.now())
}
