import { describe, expect, it } from 'vitest'
import { EVENT_KINDS } from '../events/kinds'
import { ALLOWED_ROLES, roleMayAuthor } from './roles'

describe('roles per kind', () => {
  it('cover every kind', () => {
    expect(Object.keys(ALLOWED_ROLES).sort()).toEqual([...EVENT_KINDS].sort())
  })

  it('keep human actions with humans, tasks with agents, configuration with admins', () => {
    expect(roleMayAuthor('reviewer', 'plan.approved')).toBe(true)
    expect(roleMayAuthor('agent', 'plan.approved')).toBe(false)
    expect(roleMayAuthor('agent', 'escalation.resolved')).toBe(false)
    expect(roleMayAuthor('agent', 'task.claimed')).toBe(true)
    expect(roleMayAuthor('reviewer', 'task.claimed')).toBe(false)
    expect(roleMayAuthor('admin', 'room.configured')).toBe(true)
    expect(roleMayAuthor('reviewer', 'rule.added')).toBe(false)
    expect(roleMayAuthor('observer', 'session.message')).toBe(false)
    expect(roleMayAuthor('observer', 'member.left')).toBe(true)
  })
})
