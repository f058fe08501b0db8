import { describe, expect, it } from 'vitest'
import { chorusTaskId, parseTask, toChorusTask } from './chorus'

const CHORUS = {
  task_id: 42,
  project_id: 7,
  repository: 'acme/web',
  title: 'Implement login page',
  description: 'Form that calls the authentication API',
  keywords: ['login', 'auth'],
  agent_id: 'web-agent',
  claimed_at: '2026-11-30T09:00:00Z',
}

describe('CHORUS TaskContext', () => {
  it('reads snake_case keys and integer ids as our task, keyed project:task like CHORUS', () => {
    const r = parseTask(CHORUS)
    expect(r).toEqual({
      success: true,
      chorus: true,
      data: { taskId: '7:42', projectId: '7', repository: 'acme/web', title: 'Implement login page', description: 'Form that calls the authentication API', keywords: ['login', 'auth'], agentId: 'web-agent' },
    })
  })

  it("accepts Go's nil slice, empty agent id and zero time, and string ids as given", () => {
    const r = parseTask({ ...CHORUS, task_id: 'LOGIN-1', keywords: null, agent_id: '', claimed_at: '0001-01-01T00:00:00Z' })
    expect(r.success && r.data).toEqual({ taskId: 'LOGIN-1', projectId: '7', repository: 'acme/web', title: 'Implement login page', description: 'Form that calls the authentication API' })
    expect(chorusTaskId(1, 2)).toBe('2:1')
  })

  it('reads our shape too, and names the bad field of the shape that was given', () => {
    expect(parseTask({ taskId: 'a', projectId: 'p', repository: 'r', title: 't' })).toMatchObject({ success: true, chorus: false })
    const bad = parseTask({ ...CHORUS, task_id: 1.5 })
    expect(bad.success).toBe(false)
    expect(!bad.success && bad.issues[0].path).toEqual(['task_id'])
    const ours = parseTask({ taskId: 'a', projectId: 'p', repository: 42, title: 't' })
    expect(!ours.success && ours.issues[0].path).toEqual(['repository'])
  })

  it('round-trips through toChorusTask', () => {
    const r = parseTask(CHORUS)
    if (!r.success) throw new Error('parse')
    const back = toChorusTask(r.data, Date.parse('2026-11-30T09:00:00Z'))
    expect(back).toEqual({ ...CHORUS, claimed_at: '2026-11-30T09:00:00.000Z' })
    expect(toChorusTask({ taskId: 'auth-api', projectId: 'acme', repository: 'api', title: 'x', description: '' })).toMatchObject({ task_id: 'auth-api', project_id: 'acme', keywords: [], agent_id: '' })
  })
})
