import { describe, expect, it } from 'vitest'
import { dependencySession, planFor, replicaRoom } from '@/lib/core/testing/replica'
import { inboxRows } from '@/components/inbox/inbox-model'
import { readableRules, ruleName } from './names'

describe('rule names in agent-written text', () => {
  it('replaces built-in and custom rule ids with their names, and leaves ordinary words', async () => {
    expect(readableRules('Security_Compliance session for a and b. API_Contract: a defines x')).toBe('Security & compliance session for a and b. API contract: a defines x')
    // Part of a longer identifier, or a rule that is also a word: left alone.
    expect(readableRules('see MY_API_Contract_v2 and the conflict')).toBe('see MY_API_Contract_v2 and the conflict')
    const room = await replicaRoom()
    const owner = room.owner
    await room.replica.author(owner, 'rule.added', { rule: { name: 'Feature_Flags', description: 'flags', keywords: ['flag'] } })
    expect(readableRules('Feature_Flags session', room.replica.state)).toBe(`${ruleName('Feature_Flags')} session`)
    expect(readableRules('Feature_Flags session')).toBe('Feature_Flags session')
  })

  it('show in the inbox row whose note names the rule', async () => {
    const room = await replicaRoom()
    const { ann, bob, session } = await dependencySession(room)
    await room.replica.author(ann, 'plan.proposed', { session, version: 1, plan: planFor('auth-api', 'login-page', 'API_Contract session for auth-api and login-page') })
    await room.replica.author(bob, 'session.escalated', { session, reason: 'requested', note: 'The Security_Compliance review is blocking' })
    expect(inboxRows(room.replica.state, 'open')[0].summary).toBe('The Security & compliance review is blocking')
  })
})
