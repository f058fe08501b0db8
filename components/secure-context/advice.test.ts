import { describe, expect, it } from 'vitest'
import { secureContextAdvice } from './advice'

describe('secureContextAdvice', () => {
  it('says nothing in a secure context and names https, localhost and a tunnel otherwise', () => {
    expect(secureContextAdvice(true, { protocol: 'https:', hostname: 'h', port: '', pathname: '/' })).toBeNull()
    const a = secureContextAdvice(false, { protocol: 'http:', hostname: '10.0.0.5', port: '3000', pathname: '/peers' })!
    expect(a).toContain('https://10.0.0.5/peers')
    expect(a).toContain('http://localhost:3000/peers')
    expect(a).toContain('ssh -L 3000:localhost:3000')
  })
})
