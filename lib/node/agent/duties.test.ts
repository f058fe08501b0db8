/**
 * The pure parts of the agent duties: rendezvous ranking of planners, which plan version a
 * session needs, the primary's place among live planners, the reply policies, the session
 * watcher and the CLI's task flags.
 */
import { describe, expect, it } from 'vitest'
import type { EventId, PeerId, RoomId, SessionId } from '../../core/ids'
import { templatePlan } from '../../core/planner/template'
import { initialState } from '../../core/state/initial'
import { selectSession } from '../../core/state/selectors'
import type { MemberState, MessageState, RoomState, SessionState } from '../../core/state/types'
import { slug, tasksFrom } from './command'
import { makePolicy, PolicyError } from './policy'
import { AdaptiveGrace } from './grace'
import { turnWait } from './liveness'
import { PrimaryDuty, versionNeeded } from './primary'
import { PlannerOrder, plannerCandidates, rankPlanners } from './rank'
import fc from 'fast-check'
import { dispatchTo, SessionWatcher, type AgentEvent } from './watch'

const A = 'peer-a' as PeerId
const B = 'peer-b' as PeerId
const C = 'peer-c' as PeerId
const SID = 'ses_00000000000000000000000000000001' as SessionId
const ev = (n: number) => `b${String(n).padStart(58, 'a')}` as EventId
const plan = templatePlan({ sessionType: 'dependency', relationship: 'API_Contract', tasks: [{ taskId: 't1', projectId: 'p', repository: 'r1', title: 'Define the API', description: '' }, { taskId: 't2', projectId: 'p', repository: 'r2', title: 'Build the page', description: '' }] })

const member = (peerId: PeerId, capabilities: string[], role: MemberState['role'] = 'agent'): MemberState => ({ peerId, displayName: peerId, kind: 'agent', role, capabilities, joinedAt: 0, joinEvent: ev(0), left: false })

function session(over: Partial<SessionState> = {}): SessionState {
  return {
    id: SID, type: 'dependency', tasks: ['t1', 't2'], rule: 'API_Contract', status: 'active', participants: [A, B], relatedTasks: [],
    openedAt: 0, openedBy: A, openedEvent: ev(1), activeSince: 0, activeBy: A, activeEvent: ev(1), witnessedAt: null, witnessedBy: null, messagesSinceActive: 0, lastActivity: 0, plans: [], messages: [],
    approvals: [], escalation: null, escalations: [], decisions: [], resolution: null, history: [], closedAt: null, closeReason: null, ...over,
  }
}
const v = (version: number) => ({ version, plan, event: ev(10 + version), author: A, by: 'planner' as const, time: 0 })
const msg = (author: PeerId, type: MessageState['type'], planVersion: number, n: number): MessageState => ({ event: ev(100 + n), author, type, text: type, time: 0, planVersion })

function room(sessions: SessionState[] = [], members: MemberState[] = []): RoomState {
  const s = initialState('room' as RoomId)
  for (const x of sessions) s.sessions.set(x.id, x)
  for (const m of members) s.members.set(m.peerId, m)
  return s
}

describe('rendezvous ranking', () => {
  it('is the same whatever the input order, and differs between sessions', () => {
    const peers = Array.from({ length: 8 }, (_, i) => `peer-${i}`)
    expect(rankPlanners('s1', peers)).toEqual(rankPlanners('s1', [...peers].reverse()))
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => rankPlanners(`session-${i}`, peers)[0]))
    expect(firsts.size).toBeGreaterThan(3)
  })

  it('counts only current planners whose role may write plans', () => {
    const s = room([], [member(A, ['planner']), member(B, []), member(C, ['planner'], 'reviewer'), { ...member('peer-d' as PeerId, ['planner']), left: true }])
    expect(plannerCandidates(s)).toEqual([A])
  })
})

describe('primary duty', () => {
  it('needs version 1 first, a revision after a concern, nothing after agreement or past the cap', () => {
    expect(versionNeeded(session(), 12)).toBe(1)
    expect(versionNeeded(session({ plans: [v(1)], messages: [msg(A, 'agreement', 1, 1)] }), 12)).toBe(0)
    expect(versionNeeded(session({ plans: [v(1)], messages: [msg(B, 'concern', 1, 1)] }), 12)).toBe(2)
    expect(versionNeeded(session({ plans: [v(1)], messages: [msg(B, 'question', 1, 1)] }), 12)).toBe(0)
    expect(versionNeeded(session({ plans: [v(1), v(2)], messages: [msg(B, 'concern', 2, 1)] }), 2)).toBe(0)
    expect(versionNeeded(session({ status: 'escalated' }), 12)).toBe(0)
  })

  it('ranks the planners: a dead primary makes the next one primary, a quiet one is overtaken after the grace', () => {
    const s = room([session()], [member(A, ['planner']), member(B, ['planner']), member(C, ['planner'])])
    const ranked = rankPlanners(SID, plannerCandidates(s))
    const [first, second] = ranked
    const grace = new AdaptiveGrace(4000)
    expect(turnWait(ranked, first, () => 'heard', grace)).toBe(0)
    expect(turnWait(ranked, second, () => 'heard', grace)).toBe(grace.longMs)
    expect(turnWait(ranked, second, (p) => (p === first ? 'quiet' : 'heard'), grace)).toBe(4000)
    expect(turnWait(ranked, second, (p) => (p === first ? 'gone' : 'heard'), grace)).toBe(0)
    expect(turnWait(ranked, 'stranger', () => 'heard', grace)).toBeNull()
  })
})

describe('who plans a session', () => {
  // Planners of another team, and a session for which one of them outranks both participants.
  const others = Array.from({ length: 12 }, (_, i) => `peer-other-${i}` as PeerId)
  const everyone = [A, B, ...others].map((p) => member(p, ['planner']))
  const id = Array.from({ length: 50 }, (_, i) => `ses_${String(i).padStart(32, '0')}` as SessionId).find((x) => !rankPlanners(x, [A, B, ...others]).slice(0, 1).some((p) => p === A || p === B)) as SessionId

  it('ranks its participants first, in the same order however many other planners share the room', () => {
    for (let n = 0; n <= others.length; n++) {
      const s = room([session({ id })], everyone.slice(0, 2 + n))
      const ranked = new PlannerOrder().ranked(s.sessions.get(id)!, plannerCandidates(s))
      expect(ranked.slice(0, 2)).toEqual(rankPlanners(id, [A, B]))
      expect(new Set(ranked)).toEqual(new Set(plannerCandidates(s)))
    }
  })

  it('the first participant plans at once while every other planner beats; the others wait their turns', async () => {
    const s = room([session({ id })], everyone)
    const [first, second] = rankPlanners(id, [A, B]) as PeerId[]
    const planned: string[] = []
    const duty = (me: PeerId, lagMs = 0) =>
      new PrimaryDuty({
        peer: { signer: { peerId: me }, host: { replica: { state: s }, lagMs }, author: async () => planned.push(me) } as never,
        planner: { plan: async () => plan } as never,
        standing: () => 'heard',
        now: () => 0,
      })
    expect(await duty(second).tick()).toBe(0)
    for (const o of others) expect(await duty(o).tick()).toBe(0)
    // Behind the room by more than a grace period, the primary first reads what it has missed.
    expect(await duty(first, 20_000).tick()).toBe(0)
    expect(await duty(first).tick()).toBe(1)
    await new Promise((r) => setTimeout(r, 0))
    expect(planned).toEqual([first])
  })
})

describe('reply policies', () => {
  const ctx = (version: number, messages: MessageState[] = []) => {
    const s = room([session({ plans: [v(1), v(2)].slice(0, version), messages })])
    return { state: s, session: selectSession(s, SID)!, version, plan, me: B }
  }

  it('agree agrees; stubborn always objects; defer asks', async () => {
    expect((await makePolicy('agree')(ctx(1))).type).toBe('agreement')
    expect((await makePolicy('stubborn')(ctx(1))).type).toBe('concern')
    expect((await makePolicy('stubborn')(ctx(2))).type).toBe('concern')
    expect(await makePolicy('defer')(ctx(1))).toMatchObject({ type: 'question', escalate: expect.stringContaining('approve plan v1') })
  })

  it('cautious raises one concern, then agrees with the next version', async () => {
    const cautious = makePolicy('cautious')
    expect((await cautious(ctx(1))).type).toBe('concern')
    expect((await cautious(ctx(2, [msg(B, 'concern', 1, 1)]))).type).toBe('agreement')
  })

  it('refuses unknown names and llm without an endpoint', () => {
    expect(() => makePolicy('sulky')).toThrow(PolicyError)
    expect(() => makePolicy('llm', null)).toThrow(/CHORUS_LLM_URL/)
  })
})

describe('session watcher', () => {
  it('reports each session change, plan and message of its own sessions once', () => {
    const w = new SessionWatcher(B)
    const other = session({ id: 'ses_00000000000000000000000000000002' as SessionId, participants: [A, C] })
    const s = room([session({ plans: [v(1)], messages: [msg(A, 'agreement', 1, 1)] }), other])
    expect(w.diff(s).map((e) => e.type)).toEqual(['session', 'plan', 'message'])
    expect(w.diff(s)).toEqual([])
    s.sessions.get(SID)!.status = 'resolved'
    expect(w.diff(s)).toMatchObject([{ type: 'session', status: 'resolved', previous: 'active' }])
  })
})

describe('dispatching to listeners', () => {
  it('a listener that throws loses only the events it threw on; every other listener gets all of its own', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (throwsAt) => {
        const listeners = new Map<(e: AgentEvent) => void, SessionWatcher>()
        const got: string[][] = throwsAt.map(() => [])
        const calls = throwsAt.map(() => 0)
        throwsAt.forEach((throws, i) => {
          const l = (e: AgentEvent) => {
            if (throws[calls[i]++]) throw new Error(`listener ${i}`)
            got[i].push(e.type)
          }
          listeners.set(l, new SessionWatcher(B))
        })
        const errors: unknown[] = []
        dispatchTo(listeners, room([session({ plans: [v(1)], messages: [msg(A, 'agreement', 1, 1)] })]), (err) => errors.push(err))
        const all = ['session', 'plan', 'message']
        throwsAt.forEach((throws, i) => expect(got[i]).toEqual(all.filter((_, k) => !throws[k])))
        expect(errors).toHaveLength(throwsAt.flat().filter(Boolean).length)
      }),
    )
  })
})

describe('agent CLI flags', () => {
  it('makes task ids from the repository and title, pairing descriptions by position', () => {
    expect(slug('  Define the Auth API!  ')).toBe('define-the-auth-api')
    expect(tasksFrom({ repo: 'web', tasks: ['Build the login page', 'Style it'], descriptions: ['Form'] })).toEqual([
      { taskId: 'web-build-the-login-page', title: 'Build the login page', repository: 'web', description: 'Form' },
      { taskId: 'web-style-it', title: 'Style it', repository: 'web', description: '' },
    ])
  })
})
