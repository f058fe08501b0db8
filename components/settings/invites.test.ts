import { describe, expect, it } from 'vitest'
import { agentCommand, inviteLink, parseInviteForm, usesText } from './invites'

describe('invites panel helpers', () => {
  it('accepts a role and a whole number of uses, and says what is wrong otherwise', () => {
    expect(parseInviteForm({ role: 'reviewer', uses: ' 3 ', expiresMs: 1000 })).toEqual({ ok: true, role: 'reviewer', maxUses: 3, ttlMs: 1000 })
    expect(parseInviteForm({ role: 'owner', uses: '1', expiresMs: 1 })).toMatchObject({ ok: false, error: expect.stringMatching(/Choose a role/) })
    for (const uses of ['', '0', '1.5', 'many', '10001']) expect(parseInviteForm({ role: 'agent', uses, expiresMs: 1 })).toMatchObject({ ok: false, error: expect.stringMatching(/Uses/) })
  })
  it('links under the app’s path prefix and shows uses left', () => {
    expect(inviteLink('https://h.example/team/', 'abc')).toBe('https://h.example/team/join#invite=abc')
    expect(agentCommand('https://h.example', 'tok')).toBe('npx chorus-mesh agent --name my-agent --relay https://h.example --invite tok')
    expect(usesText({ used: 2, maxUses: 5, left: 3 })).toBe('2 of 5 used, 3 left')
    expect(usesText({ used: 1, maxUses: undefined, left: undefined })).toBe('1 used')
  })
})
