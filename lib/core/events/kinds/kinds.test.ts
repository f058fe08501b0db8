import { describe, expect, it } from 'vitest'
import { testSigner } from '../../testing/ed25519'
import { EVENT_KINDS, isEventKind, payloadSchemas } from '.'
import { peerIdSchema, sessionIdSchema } from './common'
import { DEFAULT_ROOM_CONFIG, roomConfigPatchSchema } from './room'

describe('payload schemas', () => {
  it('name every kind noun.verb in the past tense', () => {
    expect(EVENT_KINDS).toHaveLength(25)
    // Past tense: regular -ed, the irregular `left`; `session.message` is the one kind the
    // issue names as a noun (a message was posted).
    for (const k of EVENT_KINDS) if (k !== 'session.message') expect(k).toMatch(/^[a-z]+\.([a-z]+ed|left)$/)
    expect(isEventKind('task.claimed')).toBe(true)
    expect(isEventKind('toString')).toBe(false)
  })

  it('accept only Ed25519 peer ids and well-formed session ids', () => {
    expect(peerIdSchema.safeParse(testSigner('x').peerId).success).toBe(true)
    expect(peerIdSchema.safeParse('QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N').success).toBe(false)
    expect(sessionIdSchema.safeParse('ses_0123456789abcdef0123456789abcdef').success).toBe(true)
    expect(sessionIdSchema.safeParse('ses_XYZ').success).toBe(false)
  })

  it('bound room configuration values and accept the two-thirds quorum', () => {
    expect(roomConfigPatchSchema.safeParse(DEFAULT_ROOM_CONFIG).success).toBe(true)
    expect(roomConfigPatchSchema.safeParse({ approvalQuorum: 'two-thirds' }).success).toBe(true)
    expect(roomConfigPatchSchema.safeParse({ approvalQuorum: 'most' }).success).toBe(false)
    expect(roomConfigPatchSchema.safeParse({ escalationThreshold: 0 }).success).toBe(false)
    expect(roomConfigPatchSchema.safeParse({ maxParticipants: 1 }).success).toBe(false)
  })

  it('validate escalations by reason and reject an owner invite role', () => {
    const session = 'ses_0123456789abcdef0123456789abcdef'
    expect(payloadSchemas['session.escalated'].safeParse({ session, reason: 'requested', note: 'help' }).success).toBe(true)
    expect(payloadSchemas['session.escalated'].safeParse({ session, reason: 'duration' }).success).toBe(false)
    expect(payloadSchemas['session.escalated'].safeParse({ session, reason: 'bored', note: 'x' }).success).toBe(false)
    const invite = { room: 'b' + 'a'.repeat(58), role: 'owner', expires: 1, maxUses: 1, nonce: 'abcdefgh', issuer: testSigner('o').peerId, sig: new Uint8Array(64) }
    const joined = { displayName: 'x', kind: 'agent', capabilities: [], invite }
    expect(payloadSchemas['member.joined'].safeParse(joined).success).toBe(false)
    expect(payloadSchemas['member.joined'].safeParse({ ...joined, invite: { ...invite, role: 'agent' } }).success).toBe(true)
  })

  it('strip unknown payload fields (forward compatibility) and apply task defaults', () => {
    const p = payloadSchemas['task.claimed'].parse({ taskId: 't', projectId: 'p', repository: 'r', title: 'T', extra: 1 })
    expect(p).toEqual({ taskId: 't', projectId: 'p', repository: 'r', title: 'T', description: '' })
  })
})
