import { describe, expect, it, vi } from 'vitest'
import { sequence } from '@/lib/core/planner/order'
import { planFor, replicaRoom } from '@/lib/core/testing/replica'
import { AUTH_API, LOGIN_PAGE } from '@/lib/core/testing/tasks'
import { focusNeighbourhood } from './focus'
import { filterGraph, fullGraph, orientEdge, ruleColour, type Graph, type GraphEdge } from './graph-model'

// The planner's real reading, counted: orienting an edge anew is what the cache saves.
vi.mock(import('@/lib/core/planner/order'), async (original) => {
  const m = await original()
  return { ...m, sequence: vi.fn(m.sequence) }
})

const edge = (source: string, target: string, rule = 'API_Contract'): GraphEdge => ({ id: `${source}|${target}|${rule}`, source, target, rule, order: 'rule', confidence: 0.8, reason: '', why: '', session: null, sessionStatus: null })
const node = (id: string, repository: string, status: 'claimed' | 'completed' = 'claimed') => ({ id, title: id, repository, status, claimedBy: 'p' })

// a - b - c - d (a chain across repositories) and e - f by another rule
const g: Graph = {
  nodes: [node('a', 'api'), node('b', 'web'), node('c', 'api'), node('d', 'db', 'completed'), node('e', 'web'), node('f', 'db')],
  edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('e', 'f', 'Database_Schema')],
}
const none = { repository: '', rule: '', status: '' as const, focus: null, hops: 3 }

/** A room where ann claims the API (z-auth-api) and bob the login page (a-login-page): one dependency, detected. */
async function apiAndPage() {
  const room = await replicaRoom()
  const ann = await room.member('ann', 'agent')
  const bob = await room.member('bob', 'agent')
  await room.replica.author(ann, 'task.claimed', { ...AUTH_API, taskId: 'z-auth-api' })
  await room.replica.author(bob, 'task.claimed', { ...LOGIN_PAGE, taskId: 'a-login-page' })
  await room.emitDue(ann)
  return { room, ann }
}

describe('graph model', () => {
  it('finds the neighbourhood within N hops', () => {
    const near = (focus: string, hops: number) => [...focusNeighbourhood(g.edges, focus, hops).keep].sort()
    expect(near('a', 1)).toEqual(['a', 'b'])
    expect(near('a', 2)).toEqual(['a', 'b', 'c'])
    expect(near('e', 5)).toEqual(['e', 'f'])
  })

  it('filters by repository, rule, status and focus, dropping edges to hidden tasks', () => {
    // A repository keeps its tasks and their direct neighbours elsewhere, with the edges between them.
    const api = filterGraph(g, { ...none, repository: 'api' })
    expect(api.nodes.map((n) => `${n.id}${n.neighbour ? '*' : ''}`)).toEqual(['a', 'c', 'b*', 'd*'])
    expect(api.edges.map((e) => e.id)).toEqual(['a|b|API_Contract', 'b|c|API_Contract', 'c|d|API_Contract'])
    expect(filterGraph(g, { ...none, rule: 'Database_Schema' }).nodes.map((n) => n.id)).toEqual(['e', 'f'])
    expect(filterGraph(g, { ...none, status: 'completed' }).nodes.map((n) => n.id)).toEqual(['d'])
    const near = filterGraph(g, { ...none, focus: 'd', hops: 1 })
    expect(near.nodes.map((n) => n.id)).toEqual(['c', 'd'])
    expect(near.edges.map((e) => e.id)).toEqual(['c|d|API_Contract'])
  })

  it('points each edge from the task that goes first: the plan when there is one, the rule otherwise', async () => {
    const { room, ann } = await apiAndPage()
    const [byRule] = fullGraph(room.replica.state).edges.map((e) => orientEdge(room.replica.state, e))
    // task1 is the login page (string order); the rule reads the API definition as the producer.
    expect(byRule).toMatchObject({ source: 'z-auth-api', target: 'a-login-page', order: 'rule' })
    expect(byRule.why).toMatch(/producer/)
    await room.emitDue(ann)
    const session = [...room.replica.state.sessions.keys()][0]
    await room.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('a-login-page', 'z-auth-api') })
    const [byPlan] = fullGraph(room.replica.state).edges.map((e) => orientEdge(room.replica.state, e))
    expect(byPlan).toMatchObject({ source: 'a-login-page', target: 'z-auth-api', order: 'plan' })
    expect(byPlan.why).toMatch(/other way round/)
  })

  it('reads a dependency again only when it or its tasks say something else, not when a replay rebuilt their records', async () => {
    const { room, ann } = await apiAndPage()
    const s = room.replica.state
    const [e] = fullGraph(s).edges
    const reads = vi.mocked(sequence)
    const first = orientEdge(s, e)
    const before = reads.mock.calls.length
    // What a replay leaves: every record and payload a new object with the same content.
    const replayed = {
      ...s,
      dependencies: new Map([...s.dependencies].map(([k, d]): [string, typeof d] => [k, { ...d, dependency: { ...d.dependency } }])),
      tasks: new Map([...s.tasks].map(([k, t]): [string, typeof t] => [k, { ...t, task: { ...t.task } }])),
    }
    expect(orientEdge(replayed, e)).toEqual(first)
    expect(reads.mock.calls.length).toBe(before)
    // A task that reads differently is read again: the producer is now the login page.
    const swapped = new Map(replayed.tasks)
    const [api, page] = [swapped.get('z-auth-api')!, swapped.get('a-login-page')!]
    swapped.set('z-auth-api', { ...api, task: { ...page.task, taskId: 'z-auth-api' } })
    swapped.set('a-login-page', { ...page, task: { ...api.task, taskId: 'a-login-page' } })
    expect(orientEdge({ ...replayed, tasks: swapped }, e)).toMatchObject({ source: 'a-login-page', target: 'z-auth-api', order: 'rule' })
    expect(reads.mock.calls.length).toBe(before + 1)
  })

  it('gives each rule a stable colour', () => {
    expect(ruleColour('API_Contract')).not.toBe(ruleColour('Database_Schema'))
    expect(ruleColour('Feature_Flag')).toBe(ruleColour('Feature_Flag'))
  })
})
