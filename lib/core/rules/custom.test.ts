import { describe, expect, it } from 'vitest'
import { detectPair, type CustomRule, type Task } from './index'

const task = (taskId: string, repository: string, title: string, description = ''): Task => ({
  taskId, projectId: 'p', repository, title, description,
})

const mobile: CustomRule = {
  name: 'Mobile_Release',
  description: 'Both tasks touch the mobile release train',
  keywords: ['mobile release', 'app store', 'testflight'],
}
const i18n: CustomRule = {
  name: 'Translation_Strings',
  description: 'One task adds user-facing strings, the other translates them',
  keywords: ['i18n'],
  requires: [['copy', 'string', 'label'], ['translate', 'localization', 'locale']],
}

describe('custom rules without requires', () => {
  it('fires when both tasks mention a keyword (any keyword, whole words)', () => {
    const deps = detectPair(task('a', 'r1', 'Prepare the mobile release notes'), task('b', 'r2', 'Upload build to TestFlight'), [mobile])
    expect(deps.map((d) => d.relationship)).toEqual(['Mobile_Release'])
  })

  it('does not fire when only one task mentions a keyword', () => {
    expect(detectPair(task('a', 'r1', 'Prepare the mobile release notes'), task('b', 'r2', 'Fix flaky test'), [mobile])).toEqual([])
  })

  it('matches phrases as phrases, not as separate words', () => {
    expect(detectPair(task('a', 'r1', 'Release the mobile app'), task('b', 'r2', 'Mobile release checklist'), [mobile])).toEqual([])
  })

  it('the same keyword on both sides is stronger evidence than different keywords', () => {
    const same = detectPair(task('a', 'r1', 'Mobile release 3.2'), task('b', 'r2', 'Mobile release 3.3'), [mobile])[0]
    const different = detectPair(task('a', 'r1', 'Mobile release 3.2'), task('b', 'r2', 'TestFlight 3.3'), [mobile])[0]
    expect(same.confidence).toBeGreaterThan(different.confidence)
  })

  it('still skips same-repository pairs', () => {
    expect(detectPair(task('a', 'r1', 'Mobile release'), task('b', 'r1', 'Mobile release'), [mobile])).toEqual([])
  })
})

describe('custom rules with requires', () => {
  it('fires when one task has a term of A and the other a term of B, in either order', () => {
    const a = task('a', 'r1', 'Add checkout copy for the discount banner')
    const b = task('b', 'r2', 'Translate checkout screens to German')
    expect(detectPair(a, b, [i18n]).map((d) => d.relationship)).toEqual(['Translation_Strings'])
    expect(detectPair({ ...a, taskId: 'z' }, b, [i18n]).map((d) => d.relationship)).toEqual(['Translation_Strings'])
  })

  it('does not fire when both tasks only mention A terms, even with the keyword', () => {
    expect(detectPair(task('a', 'r1', 'Add banner copy i18n'), task('b', 'r2', 'Rename button label i18n'), [i18n])).toEqual([])
  })

  it('more shared evidence gives higher confidence', () => {
    const plain = detectPair(task('a', 'r1', 'Add banner copy'), task('b', 'r2', 'Translate emails'), [i18n])[0]
    const shared = detectPair(task('a', 'r1', 'Add checkout banner copy'), task('b', 'r2', 'Translate checkout banner'), [i18n])[0]
    expect(shared.confidence).toBeGreaterThan(plain.confidence)
  })
})

describe('rule names', () => {
  it('a custom rule cannot shadow a built-in or an earlier custom rule', () => {
    const shadow: CustomRule = { name: 'API_Contract', description: 'x', keywords: ['readme'] }
    expect(detectPair(task('a', 'r1', 'Fix README'), task('b', 'r2', 'Update README'), [shadow])).toEqual([])
    const twice: CustomRule = { ...mobile, keywords: ['readme'] }
    expect(detectPair(task('a', 'r1', 'Fix README'), task('b', 'r2', 'Update README'), [mobile, twice])).toEqual([])
  })

  it('built-ins and custom rules both report on one pair, strongest first', () => {
    const auth: CustomRule = { name: 'Auth_Team', description: 'x', keywords: ['authentication'] }
    const deps = detectPair(task('a', 'r1', 'Define user authentication API'), task('b', 'r2', 'Implement authentication endpoint'), [auth])
    expect(deps.map((d) => d.relationship).sort()).toEqual(['API_Contract', 'Auth_Team'])
    expect(deps[0].confidence).toBeGreaterThanOrEqual(deps[1].confidence)
  })
})
