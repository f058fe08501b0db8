/**
 * Joining a room (DESIGN §3): once the replica holds the room's genesis (from the store or the
 * first sync), a peer that is not yet a member redeems its invite with `member.joined`; in an
 * open room it may join as a reviewer without one. Without either it stays a guest: it can
 * watch the room (replication is open) but every event it wrote would be rejected.
 */
import { decodeInviteText } from '../core/events/invite-link'
import type { Role } from '../core/events/kinds/common'
import type { SignedInvite } from '../core/events/kinds/invite'
import { selectRole } from '../core/state/selectors'
import type { RoomPeer } from './room-peer'

export interface JoinRequest {
  displayName: string
  kind: 'human' | 'agent'
  capabilities?: string[]
  /** Invite text from a link fragment or `--invite`. */
  invite?: string
}

export type JoinOutcome =
  | { status: 'member'; role: Role; joinedNow: boolean }
  | { status: 'guest'; reason: string }

/** Why an invite cannot be used, before anything is signed. */
export class InviteError extends Error {
  static override name = 'InviteError'
  constructor(
    readonly reason: 'malformed' | 'other_room' | 'expired' | 'refused',
    detail: string,
  ) {
    super(detail)
  }
}

/** Resolves once the replica holds the room's genesis (from the store or a sync round). */
export function genesisArrived(peer: RoomPeer, timeoutMs = 30_000): Promise<void> {
  const has = () => peer.host.replica.log.has(peer.host.room)
  if (has()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error('the room has not arrived from any peer yet (is the relay reachable?)'))
    }, timeoutMs)
    const stop = peer.host.subscribe(() => {
      if (!has()) return
      clearTimeout(timer)
      stop()
      resolve()
    })
  })
}

/** Parses invite text and checks what can be checked locally. */
export function parseInvite(text: string, room: string, now = Date.now()): SignedInvite {
  const invite = decodeInviteText(text)
  if (invite == null) throw new InviteError('malformed', 'this invite is not valid (was the link copied whole?)')
  if (invite.room !== room) throw new InviteError('other_room', `this invite is for room ${invite.room}, not ${room}`)
  if (invite.expires < now) throw new InviteError('expired', `this invite expired on ${new Date(invite.expires).toISOString()}`)
  return invite
}

/** Makes this peer a member if it can; see the module comment. */
export async function ensureMember(peer: RoomPeer, req: JoinRequest): Promise<JoinOutcome> {
  await genesisArrived(peer)
  const state = () => peer.host.replica.state
  const me = peer.signer.peerId
  const existing = selectRole(state(), me)
  if (existing != null) return { status: 'member', role: existing, joinedNow: false }
  const invite = req.invite != null ? parseInvite(req.invite, peer.host.room) : undefined
  if (invite == null && !state().open) return { status: 'guest', reason: 'not a member of this room: join with an invite' }
  // Our own earlier join may be out there (another device, a lost store): hear from a peer first.
  await peer.firstRound(10_000)
  const again = selectRole(state(), me)
  if (again != null) return { status: 'member', role: again, joinedNow: false }
  try {
    await peer.author('member.joined', {
      displayName: req.displayName,
      kind: req.kind,
      capabilities: req.capabilities ?? [],
      ...(invite != null ? { invite } : {}),
    })
  } catch (err) {
    throw new InviteError('refused', `the room refused this invite: ${(err as Error).message}`)
  }
  const role = selectRole(state(), me)
  if (role == null) throw new InviteError('refused', 'the invite has been used up')
  return { status: 'member', role, joinedNow: true }
}
