import { describe, expect, it } from 'vitest'
import { stem } from './stem'

describe('stem (Porter 1980)', () => {
  // Examples from the paper, step by step.
  it.each([
    ['caresses', 'caress'], ['ponies', 'poni'], ['cats', 'cat'], ['agreed', 'agre'], ['plastered', 'plaster'],
    ['motoring', 'motor'], ['sing', 'sing'], ['conflated', 'conflat'], ['hopping', 'hop'], ['falling', 'fall'],
    ['filing', 'file'], ['happy', 'happi'], ['relational', 'relat'], ['conditional', 'condit'],
    ['digitizer', 'digit'], ['vietnamization', 'vietnam'], ['operator', 'oper'], ['hopefulness', 'hope'],
    ['sensibiliti', 'sensibl'], ['triplicate', 'triplic'], ['electrical', 'electr'], ['goodness', 'good'],
    ['allowance', 'allow'], ['adjustable', 'adjust'], ['replacement', 'replac'], ['adoption', 'adopt'],
    ['activate', 'activ'], ['effective', 'effect'], ['probate', 'probat'], ['rate', 'rate'], ['cease', 'ceas'],
    ['controll', 'control'], ['roll', 'roll'], ['generalization', 'gener'], ['oscillators', 'oscil'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected)
  })

  it('conflates the forms the rules rely on', () => {
    expect(stem('preferences')).toBe(stem('preference'))
    expect(stem('authentication')).toBe(stem('authenticated'))
    expect(stem('endpoints')).toBe(stem('endpoint'))
    expect(stem('migrations')).toBe(stem('migration'))
  })

  it('keeps words apart that only share letters', () => {
    expect(stem('capital')).not.toBe('api')
    expect(stem('api')).toBe('api')
  })

  it('passes short and non-alphabetic words through', () => {
    expect(stem('ui')).toBe('ui')
    expect(stem('oauth2')).toBe('oauth2')
  })
})
