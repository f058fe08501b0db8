/**
 * A replica verifies a signer's first event like any other and trusts the signatures it makes
 * afterwards: authoring pays no second verify, received events and a lying signer still do.
 */
import { describe, expect, it } from 'vitest'
import type { Verifier } from '../events/signer'
import { createGenesis } from '../log/author'
import { testSigner, testVerifier } from '../testing/ed25519'
import { signInvite } from '../events/verify'
import { inviteBody, testClock } from '../testing/room'
import { AUTH_API, LOGIN_PAGE } from '../testing/tasks'
import { Replica } from './replica'

async function room() {
  const clock = testClock()
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'room', open: false, config: {}, owner: { displayName: 'Owner', kind: 'human', capabilities: [] } }, clock.now())
  const checked: string[] = []
  const verifier: Verifier = { verify: (peer, bytes, sig) => (checked.push(peer), testVerifier.verify(peer, bytes, sig)) }
  const replica = new Replica({ room: genesis.id, verifier, now: clock.now })
  await replica.add(genesis)
  const invite = (nonce: string) => signInvite(inviteBody(genesis.id, owner, 'agent', { nonce: `nonce-${nonce}-agent` }), owner)
  return { replica, genesis, checked, clock, invite }
}

describe('Replica: its own signatures', () => {
  it('verifies a signer once, then authors without verifying again; received events are always verified', async () => {
    const { replica, genesis, checked, clock, invite } = await room()
    const agent = testSigner('agent')
    await replica.author(agent, 'member.joined', { displayName: 'agent', kind: 'agent', capabilities: [], invite: await invite('a') })
    await replica.author(agent, 'task.claimed', AUTH_API)
    await replica.author(agent, 'task.claimed', LOGIN_PAGE)
    expect(checked.filter((p) => p === agent.peerId)).toHaveLength(1)
    expect(replica.state.tasks.get('login-page' as never)?.claimants).toEqual([agent.peerId])

    // Another replica receives the same events and verifies each of them.
    const other = new Replica({ room: genesis.id, verifier: { verify: (p, b, s) => (checked.push(`other ${p}`), testVerifier.verify(p, b, s)) }, now: clock.now })
    for (const e of replica.log.all()) expect((await other.add(e.bytes)).status).toBe('accepted')
    expect(checked.filter((p) => p === `other ${agent.peerId}`)).toHaveLength(3)
    expect(other.digest()).toBe(replica.digest())
  })

  it('refuses a signer whose key is not its peer id, every time', async () => {
    const { replica, checked, invite } = await room()
    const liar = { ...testSigner('mallory'), peerId: testSigner('alice').peerId }
    for (let i = 0; i < 2; i++) {
      await expect(replica.author(liar, 'member.joined', { displayName: 'alice', kind: 'agent', capabilities: [], invite: await invite(`m${i}`) })).rejects.toThrow(/bad_signature/)
    }
    expect(checked.filter((p) => p === liar.peerId)).toEqual([liar.peerId, liar.peerId])
    expect(replica.state.members.has(liar.peerId)).toBe(false)
  })

  it('checks again when a proven signer object comes to name another peer', async () => {
    const { replica, checked, invite } = await room()
    const signer = { ...testSigner('carol') }
    await replica.author(signer, 'member.joined', { displayName: 'carol', kind: 'agent', capabilities: [], invite: await invite('c') })
    // The same object now claims dave's peer id but still signs with carol's key.
    Object.assign(signer, { peerId: testSigner('dave').peerId })
    await expect(replica.author(signer, 'member.joined', { displayName: 'dave', kind: 'agent', capabilities: [], invite: await invite('d') })).rejects.toThrow(/bad_signature/)
    expect(checked.filter((p) => p === signer.peerId)).toHaveLength(1)
  })
})
