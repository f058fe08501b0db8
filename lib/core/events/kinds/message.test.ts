import { describe, expect, it } from 'vitest'
import { classifyMessage, messageType } from './message'

describe('classifyMessage', () => {
  it.each([
    ['I agree with this plan', 'agreement'],
    ['Sounds good to me', 'agreement'],
    ['Approved.', 'agreement'],
    ['Looks good', 'agreement'],
    ['Confirmed, the API goes first', 'agreement'],
    ["I don't agree with the order", 'concern'],
    ['I do not agree', 'concern'],
    ['I disagree', 'concern'],
    ['There is a risk the migration breaks login', 'concern'],
    ['Should the schema land first?', 'question'],
    ['What about the flag name', 'question'],
    ['Ship the endpoint behind a flag', 'proposal'],
    ['No problem, sounds good', 'agreement'],
    ['Merged without issues', 'proposal'],
    ['No risk here, but there is a problem with the schema', 'concern'],
  ] as const)('%s → %s', (text, type) => {
    expect(classifyMessage(text)).toBe(type)
  })

  it('matches whole words only', () => {
    // "agreeable" and "reconfirmedness" are not the keywords themselves.
    expect(classifyMessage('A disagreeable tone')).toBe('proposal')
    expect(classifyMessage('the okapi confirmedness')).toBe('proposal')
  })

  it("prefers the author's type over the classifier", () => {
    expect(messageType({ text: 'I agree', type: 'question' })).toBe('question')
    expect(messageType({ text: 'I agree' })).toBe('agreement')
  })
})
