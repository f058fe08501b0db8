import { describe, expect, it } from 'vitest'
import { analyzeText, mentions, normalizeTerm, spell, words } from './text'

describe('words', () => {
  it('splits camelCase, acronyms, snake_case and punctuation', () => {
    expect(words('featureFlag JWTToken env_var, API-v2!')).toEqual(['feature', 'flag', 'jwt', 'token', 'env', 'var', 'api', 'v2'])
  })
})

describe('normalizeTerm', () => {
  it('maps abbreviations to their long form', () => {
    expect(normalizeTerm('env var')).toBe(normalizeTerm('environment variables'))
    expect(normalizeTerm('auth')).toBe(normalizeTerm('authentication'))
    expect(normalizeTerm('DB')).toBe(normalizeTerm('database'))
  })

  it('keeps "settings" apart from the verb "set"', () => {
    expect(normalizeTerm('settings')).not.toBe(normalizeTerm('set'))
  })

  it('does not read words like "constructor" from the object prototype', () => {
    expect(normalizeTerm('constructor')).toBe('constructor')
    expect(normalizeTerm('__proto__ hasOwnProperty')).toBe('proto ha own properti')
  })

  it('is empty for text without words', () => {
    expect(normalizeTerm('!!')).toBe('')
  })
})

describe('analyzeText / mentions', () => {
  const text = analyzeText({
    title: 'Add feature flag for the new checkout UI',
    description: 'The rollout must be gated per tenant and per region by the platform team',
    keywords: ['payments'],
  })

  it('finds whole words and phrases', () => {
    expect(mentions(text, normalizeTerm('feature flags'))).toBe(true)
    expect(mentions(text, normalizeTerm('checkout'))).toBe(true)
    expect(mentions(text, normalizeTerm('payment'))).toBe(true)
  })

  it('does not match inside words or across segments', () => {
    expect(mentions(analyzeText({ title: 'capital', description: '' }), 'api')).toBe(false)
    expect(mentions(text, normalizeTerm('ui payments'))).toBe(false)
  })

  it('matches phrases longer than the n-gram limit by scanning', () => {
    expect(mentions(text, normalizeTerm('gated per tenant and per region'))).toBe(true)
    expect(mentions(text, normalizeTerm('gated per region and per tenant'))).toBe(false)
  })

  it('spells a term as the text wrote it', () => {
    expect(spell(text, normalizeTerm('feature flags'))).toBe('feature flag')
    expect(spell(analyzeText({ title: 'Upload to TestFlight', description: '' }), 'testflight')).toBe('testflight')
    expect(spell(text, 'absent')).toBe('absent')
  })
})
