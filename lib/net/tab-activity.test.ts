import { describe, expect, it } from 'vitest'
import { describeEvent } from '../core/state/activity'
import { replicaRoom } from '../core/testing/replica'
import { AUTH_API, LOGIN_PAGE } from '../core/testing/tasks'
import { RecentActivity } from './tab-activity'

describe('RecentActivity', () => {
  it('describes an event once while it stays in the feed, and again when its author is renamed', async () => {
    const room = await replicaRoom()
    const agent = await room.member('api-agent', 'agent')
    await room.replica.author(agent, 'task.claimed', AUTH_API)
    const activity = new RecentActivity()
    const newestFirst = () => room.replica.log.all().slice(-3).reverse()
    const first = activity.of(room.replica.state, newestFirst())
    expect(first).toEqual(newestFirst().map((e) => describeEvent(room.replica.state, e.id, e.event)))

    await room.replica.author(agent, 'task.claimed', LOGIN_PAGE)
    const second = activity.of(room.replica.state, newestFirst())
    // The two events still in the feed keep their descriptions (the same objects); the new one is described.
    expect(second[1]).toBe(first[0])
    expect(second[2]).toBe(first[1])
    expect(second).toEqual(newestFirst().map((e) => describeEvent(room.replica.state, e.id, e.event)))

    await room.replica.author(agent, 'member.renamed', { displayName: 'api-agent-2' })
    const third = activity.of(room.replica.state, newestFirst())
    expect(third).toEqual(newestFirst().map((e) => describeEvent(room.replica.state, e.id, e.event)))
    expect(third.filter((x) => x.author === agent.peerId).map((x) => x.who)).toEqual(['api-agent-2', 'api-agent-2', 'api-agent-2'])
  })
})
