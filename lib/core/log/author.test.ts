import { describe, expect, it } from 'vitest'
import { MAX_DEPS } from '../events/constants'
import { testSigner } from '../testing/ed25519'
import { join, makeRoom, T0 } from '../testing/room'
import { AUTH_API } from '../testing/tasks'
import { authorEvent, chooseDeps, nextEnvelope } from './author'
import { EventRejectedError } from './reasons'

describe('local authoring', () => {
  it('fills seq, prev, lamport and time from the log', async () => {
    const room = await makeRoom()
    const a = testSigner('a')
    const joined = await join(room, a, 'agent')
    const env = nextEnvelope(room.log, a, 'task.claimed', AUTH_API, T0 - 5)
    expect(env).toMatchObject({ v: 1, room: room.genesis.id, seq: 2, prev: joined.id, lamport: room.log.maxLamport + 1, time: T0 })
    expect(env.payload.description).toBe(AUTH_API.description)
  })

  it('links the latest heads of at most MAX_DEPS other authors, never itself', async () => {
    const room = await makeRoom()
    const signers = Array.from({ length: MAX_DEPS + 3 }, (_, i) => testSigner(`m${i}`))
    for (const s of signers) await join(room, s, 'agent')
    const me = signers[0]
    const deps = chooseDeps(room.log, me.peerId)
    expect(deps).toHaveLength(MAX_DEPS)
    expect(deps).toEqual([...deps].sort())
    const authors = deps.map((d) => room.log.get(d)?.event.author)
    expect(authors).not.toContain(me.peerId)
    // The most recent joiners (highest Lamport clocks) are the ones linked.
    expect(authors).toContain(signers[signers.length - 1].peerId)
    expect(authors).not.toContain(room.owner.peerId)
  })

  it('throws EventRejectedError for an invalid payload or a refused event', async () => {
    const room = await makeRoom()
    const a = testSigner('a')
    await expect(authorEvent(room.log, a, 'task.claimed', AUTH_API, T0)).rejects.toBeInstanceOf(EventRejectedError)
    await expect(authorEvent(room.log, a, 'task.claimed', { ...AUTH_API, taskId: '' }, T0)).rejects.toThrow()
  })
})

describe('message types', () => {
  it('are pinned into locally authored messages', async () => {
    const room = await makeRoom()
    const a = testSigner('a')
    await join(room, a, 'agent')
    const session = 'ses_0123456789abcdef0123456789abcdef'
    expect(nextEnvelope(room.log, a, 'session.message', { session, text: 'Sounds good' }, T0).payload.type).toBe('agreement')
    expect(nextEnvelope(room.log, a, 'session.message', { session, text: 'Sounds good', type: 'question' }, T0).payload.type).toBe('question')
  })
})
