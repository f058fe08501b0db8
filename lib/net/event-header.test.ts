import * as dagCbor from '@ipld/dag-cbor'
import { describe, expect, it } from 'vitest'
import { decodeEvent, encodeCanonical, signEvent } from '../core/events/codec'
import { createGenesis, nextEnvelope } from '../core/log/author'
import { EventLog } from '../core/log/log'
import { testSigner, testVerifier } from '../core/testing/ed25519'
import { peekHeader } from './event-header'

async function events() {
  const owner = testSigner('owner')
  const genesis = await createGenesis(owner, { name: 'r', open: true, config: {}, owner: { displayName: 'o', kind: 'human', capabilities: [] } })
  const log = new EventLog({ room: genesis.id, verifier: testVerifier })
  await log.add(genesis)
  const out = [genesis]
  for (const name of ['alice', 'bob']) {
    const s = testSigner(name)
    const join = await signEvent(nextEnvelope(log, s, 'member.joined', { displayName: name, kind: 'agent', capabilities: [] }, Date.now()), s)
    await log.add(join)
    const claim = await signEvent(nextEnvelope(log, s, 'task.claimed', { taskId: `t-${name}`, projectId: 'p', repository: 'r', title: `Work by ${name}`, description: 'x'.repeat(500) }, Date.now()), s)
    await log.add(claim)
    out.push(join, claim)
  }
  return out
}

describe('peekHeader', () => {
  it('reads the same author, time, prev and deps as the full decoder', async () => {
    for (const e of await events()) {
      const full = decodeEvent(e.bytes)
      if (!full.ok) throw new Error(full.detail)
      const { author, time, prev, deps } = full.value.event
      expect(peekHeader(e.bytes)).toEqual({ author, time, prev, deps })
    }
  })

  it('gives nothing for bytes that are not an event map, truncated or not', async () => {
    const [, , claim] = await events()
    expect(peekHeader(new Uint8Array([1, 2, 3]))).toBeUndefined()
    expect(peekHeader(dagCbor.encode({ hello: 'world' }))).toBeUndefined()
    expect(peekHeader(encodeCanonical({ author: 42, time: 1, prev: null, deps: [] }))).toBeUndefined()
    // Cut inside the header: no claim at all rather than a wrong one.
    for (const n of [1, 10, 40, 80, 120]) expect(peekHeader(claim.bytes.subarray(0, n))).toBeUndefined()
  })
})
