import { describe, expect, it } from 'vitest'
import { DEFAULT_ROOM_CONFIG } from '../events/kinds/room'
import { asEventId, asPeerId } from '../ids'
import type { MemberState, MessageState, SessionState } from '../state/types'
import { consensusOf, requiredAgreements } from './consensus'
import { canonicalTasks, sessionIdOf } from './ids'
import { approvalsNeeded, reviewerCount } from './quorum'
import { linkTasks, relatedTasks } from './related'

const P = (s: string) => asPeerId(s)
const msg = (author: string, type: MessageState['type'], planVersion: number): MessageState => ({
  event: asEventId(`e-${author}-${type}-${planVersion}`),
  author: P(author),
  type,
  text: type,
  time: 0,
  planVersion,
})
const session = (participants: string[], plans: number, messages: MessageState[]) =>
  ({ participants: participants.map(P), plans: Array.from({ length: plans }, (_, i) => ({ version: i + 1 })), messages }) as unknown as SessionState

describe('session ids', () => {
  it('are deterministic in task order and distinct by type and rule', () => {
    expect(sessionIdOf('dependency', ['b', 'a'], 'API_Contract')).toBe(sessionIdOf('dependency', ['a', 'b', 'a'], 'API_Contract'))
    expect(sessionIdOf('dependency', ['a', 'b'], 'API_Contract')).not.toBe(sessionIdOf('conflict', ['a', 'b'], 'API_Contract'))
    expect(sessionIdOf('dependency', ['a', 'b'], 'API_Contract')).not.toBe(sessionIdOf('dependency', ['a', 'b'], 'Database_Schema'))
    expect(sessionIdOf('planning', ['a'], 'x')).toMatch(/^ses_[0-9a-f]{32}$/)
    expect(canonicalTasks(['c', 'a', 'c'])).toEqual(['a', 'c'])
  })
})

describe('consensus', () => {
  it('needs participants − 1 distinct agreements on the latest plan (at least one)', () => {
    expect([1, 2, 3, 5].map(requiredAgreements)).toEqual([1, 1, 2, 4])
    expect(consensusOf(session(['a', 'b', 'c'], 1, [msg('a', 'agreement', 1)])).reached).toBe(false)
    expect(consensusOf(session(['a', 'b', 'c'], 1, [msg('a', 'agreement', 1), msg('b', 'agreement', 1)]))).toMatchObject({ reached: true, strength: 2 / 3 })
  })

  it('counts one vote per participant, not per message', () => {
    const c = consensusOf(session(['a', 'b', 'c'], 1, [msg('a', 'agreement', 1), msg('a', 'agreement', 1)]))
    expect(c).toMatchObject({ reached: false, agreeing: ['a'] })
  })

  it('ignores agreements with older plan versions and non-participants', () => {
    expect(consensusOf(session(['a', 'b'], 2, [msg('a', 'agreement', 1)])).reached).toBe(false)
    expect(consensusOf(session(['a', 'b'], 1, [msg('z', 'agreement', 1)])).reached).toBe(false)
    expect(consensusOf(session(['a', 'b'], 0, [msg('a', 'agreement', 0)])).reached).toBe(false)
  })

  it('is blocked by an open concern, which a later agreement from its author withdraws', () => {
    const concern = session(['a', 'b', 'c'], 1, [msg('a', 'agreement', 1), msg('b', 'agreement', 1), msg('c', 'concern', 1)])
    expect(consensusOf(concern)).toMatchObject({ reached: false, concerns: ['c'] })
    concern.messages.push(msg('c', 'agreement', 1))
    expect(consensusOf(concern)).toMatchObject({ reached: true, concerns: [], strength: 1 })
  })
})

describe('approval quorum', () => {
  const member = (role: MemberState['role'], left = false) => ({ role, left }) as MemberState
  const members = [member('owner'), member('reviewer'), member('reviewer'), member('reviewer', true), member('agent'), member('admin')]
  it('counts current human reviewers and computes ⌊2n/3⌋+1', () => {
    expect(reviewerCount(members)).toBe(4)
    expect(approvalsNeeded({ ...DEFAULT_ROOM_CONFIG, approvalQuorum: 'two-thirds' }, members)).toBe(3)
    expect(approvalsNeeded({ ...DEFAULT_ROOM_CONFIG, approvalQuorum: 2 }, members)).toBe(2)
    expect(approvalsNeeded(DEFAULT_ROOM_CONFIG, members)).toBe(1)
  })
})

describe('related tasks', () => {
  const chain = new Map<string, readonly string[]>()
  for (const [a, b] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['x', 'y']]) for (const [k, v] of linkTasks(chain, a, b)) chain.set(k, v)
  it('are the tasks within the hop limit, excluding the session tasks', () => {
    expect(relatedTasks(chain, ['a', 'b'], 0)).toEqual([])
    expect(relatedTasks(chain, ['a', 'b'], 1)).toEqual(['c'])
    expect(relatedTasks(chain, ['a', 'b'], 3)).toEqual(['c', 'd', 'e'])
    expect(relatedTasks(chain, ['x'], 3)).toEqual(['y'])
  })
})
