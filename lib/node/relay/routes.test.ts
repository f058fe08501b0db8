/** `/api/outcomes` pages: any page size walks every outcome exactly once, in order, across ties in end time. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Outcome } from '../../core/state/selectors'
import { outcomesPage, OUTCOMES_MAX_LIMIT } from './routes'

const outcome = (session: string, endedAt: number) => ({ session, endedAt }) as unknown as Outcome

describe('outcomesPage', () => {
  it('following x-next-cursor from any page size yields every outcome once, sorted by end time then session', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ session: fc.stringMatching(/^[a-z0-9]{1,6}$/), endedAt: fc.integer({ min: 0, max: 20 }) }), { selector: (o) => o.session, maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        (rows, limit) => {
          const all = rows.map((r) => outcome(r.session, r.endedAt))
          const seen: Outcome[] = []
          let after: string | undefined
          for (let guard = 0; guard < 100; guard++) {
            const q = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) })
            const page = outcomesPage(all, q)
            if (typeof page === 'string') throw new Error(page)
            expect(page.items.length).toBeLessThanOrEqual(limit)
            seen.push(...page.items)
            if (page.next == null) break
            after = page.next
          }
          const expected = [...all].sort((a, b) => a.endedAt - b.endedAt || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0))
          expect(seen.map((o) => o.session)).toEqual(expected.map((o) => o.session))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses a bad limit or cursor with a message', () => {
    expect(outcomesPage([], new URLSearchParams({ limit: '0' }))).toMatch(/limit 0/)
    expect(outcomesPage([], new URLSearchParams({ limit: String(OUTCOMES_MAX_LIMIT + 1) }))).toMatch(/expected 1/)
    expect(outcomesPage([], new URLSearchParams({ after: 'garbage' }))).toMatch(/x-next-cursor/)
  })
})
