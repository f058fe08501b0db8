import { describe, expect, it } from 'vitest'
import { replicaRoom } from '../testing/replica'
import { AUTH_API } from '../testing/tasks'
import { describeEvent } from './activity'

describe('describeEvent', () => {
  it('says who did what in words, with member names', async () => {
    const room = await replicaRoom()
    const agent = await room.member('api-agent', 'agent')
    const claim = await room.replica.author(agent, 'task.claimed', AUTH_API)
    const item = describeEvent(room.replica.state, claim.id, claim.event)
    expect(item).toMatchObject({ who: 'api-agent', kind: 'task.claimed', what: 'claimed “Define user authentication API” in api' })
    const join = room.replica.log.all().find((e) => e.event.kind === 'member.joined')!
    expect(describeEvent(room.replica.state, join.id, join.event).what).toBe('joined as agent')
  })

  it('names strangers by a short peer id', async () => {
    const room = await replicaRoom()
    const genesis = room.replica.log.all()[0]
    const empty = { ...room.replica.state, members: new Map() }
    expect(describeEvent(empty, genesis.id, genesis.event).who).toMatch(/^…\w{6}$/)
  })
})
