import { describe, expect, it } from 'vitest'
import { testSigner, testVerifier } from '../testing/ed25519'
import { inviteBody, makeRoom } from '../testing/room'
import { decodeInviteText, encodeInviteText } from './invite-link'
import { signInvite, verifyInvite } from './verify'

describe('invite text', () => {
  it('round-trips a signed invite through URL-safe text that still verifies', async () => {
    const room = await makeRoom()
    const invite = await signInvite(inviteBody(room.genesis.id, room.owner, 'agent'), room.owner)
    const text = encodeInviteText(invite)
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
    const back = decodeInviteText(text)
    expect(back).toEqual(invite)
    expect(back && (await verifyInvite(back, testVerifier))).toBe(true)
  })

  it('returns null for junk and detects tampering by signature', async () => {
    expect(decodeInviteText('not an invite')).toBeNull()
    expect(decodeInviteText('')).toBeNull()
    const room = await makeRoom()
    const invite = await signInvite(inviteBody(room.genesis.id, room.owner, 'agent'), room.owner)
    expect(await verifyInvite({ ...invite, maxUses: 1000 }, testVerifier)).toBe(false)
    await expect(signInvite(inviteBody(room.genesis.id, room.owner, 'agent'), testSigner('x'))).rejects.toThrow(RangeError)
  })
})
