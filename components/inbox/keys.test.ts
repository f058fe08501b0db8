import { describe, expect, it } from 'vitest'
import { commandFor } from './keys'

describe('inbox keyboard map', () => {
  it('maps the documented keys', () => {
    expect(['j', 'k', 'a', 'e', 'r', 'g', 'c', '?'].map((key) => commandFor({ key }))).toEqual([
      'next', 'prev', 'approve', 'edit', 'resolve', 'return', 'claim', 'help',
    ])
  })

  it('ignores keys typed into a field or pressed with a modifier', () => {
    expect(commandFor({ key: 'a', target: { tagName: 'TEXTAREA' } as unknown as EventTarget })).toBeNull()
    expect(commandFor({ key: 'r', target: { tagName: 'INPUT' } as unknown as EventTarget })).toBeNull()
    expect(commandFor({ key: 'r', ctrlKey: true })).toBeNull()
    expect(commandFor({ key: 'x' })).toBeNull()
  })
})
