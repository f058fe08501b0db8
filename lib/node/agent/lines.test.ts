import { describe, expect, it } from 'vitest'
import { parseCommand } from './lines'

describe('parseCommand', () => {
  it('reads words a person types', () => {
    expect(parseCommand('say ses_1 agreement Looks good to me')).toEqual({ ok: true, op: 'reply', args: { session: 'ses_1', type: 'agreement', text: 'Looks good to me' } })
    expect(parseCommand('complete web-login merged in #12')).toEqual({ ok: true, op: 'complete_task', args: { taskId: 'web-login', note: 'merged in #12' } })
    expect(parseCommand('release web-login')).toEqual({ ok: true, op: 'release_task', args: { taskId: 'web-login' } })
    expect(parseCommand('ready 7:42')).toEqual({ ok: true, op: 'ready', args: { taskId: '7:42' } })
    expect(parseCommand('sessions active')).toEqual({ ok: true, op: 'list_sessions', args: { scope: 'active' } })
    expect(parseCommand('  ')).toBeNull()
    expect(parseCommand('# a comment')).toBeNull()
  })

  it('reads JSON lines with aliases and echoes the id', () => {
    expect(parseCommand('{"op": "say", "id": 7, "session": "ses_1", "text": "ok"}')).toEqual({ ok: true, id: 7, op: 'reply', args: { session: 'ses_1', text: 'ok' } })
    expect(parseCommand('{"op": "claim_task", "task": {"taskId": "a"}}')).toMatchObject({ ok: true, op: 'claim_task' })
  })

  it('says what is wrong instead of failing', () => {
    expect(parseCommand('say ses_1 agree')).toMatchObject({ ok: false, message: expect.stringMatching(/^usage: say SESSION/) })
    expect(parseCommand('dance')).toMatchObject({ ok: false, message: expect.stringMatching(/unknown command "dance"/) })
    expect(parseCommand('{"op": ')).toMatchObject({ ok: false, message: expect.stringMatching(/^not JSON/) })
    expect(parseCommand('{"session": "x"}')).toMatchObject({ ok: false, message: expect.stringMatching(/needs "op"/) })
  })
})
