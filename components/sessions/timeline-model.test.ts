import { describe, expect, it } from 'vitest'
import type { TimelineEntry } from '@/lib/core/state/timeline'
import { timelineRows } from './timeline-model'

let n = 0
const plan = (version: number): TimelineEntry => ({ kind: 'plan.proposed', event: `p${version}` as never, at: n++, by: 'g' as never, type: 'plan', plan: { version } as never })
const msg = (author: string, type: 'agreement' | 'concern'): TimelineEntry => ({ kind: 'session.message', event: `m${n}` as never, at: n++, by: author as never, type: 'message', message: { author, type, event: `m${n}`, text: type } as never })
const opened: TimelineEntry = { kind: 'session.opened', event: 'o' as never, at: 0, by: 'g' as never, type: 'opened' }

describe('timelineRows', () => {
  it('collapses repeated middle rounds into one line and keeps the first and the last two', () => {
    const entries: TimelineEntry[] = [opened]
    for (let v = 1; v <= 6; v++) entries.push(plan(v), msg('gw', 'agreement'), msg('jwt', 'concern'))
    const rows = timelineRows(entries)
    const collapsed = rows.filter((r) => r.kind === 'collapsed')
    expect(collapsed).toHaveLength(1)
    expect(collapsed[0]).toMatchObject({ rounds: 3, pattern: 'agreement, concern → revision' })
    const plans = rows.flatMap((r) => (r.kind === 'entry' && r.entry.type === 'plan' ? [r.entry.plan.version] : []))
    expect(plans).toEqual([1, 5, 6])
    // Expanded on request: every round again, authors named only where they change.
    const all = timelineRows(entries, new Set([collapsed[0].kind === 'collapsed' ? collapsed[0].id : '']))
    expect(all.every((r) => r.kind === 'entry')).toBe(true)
    expect(all.filter((r) => r.kind === 'entry' && r.showAuthor)).toHaveLength(12)
  })

  it('never collapses a round with an escalation or a decision in it', () => {
    const entries: TimelineEntry[] = [opened, plan(1), msg('a', 'concern'), plan(2), msg('a', 'concern'), { kind: 'session.escalated', event: 'e' as never, at: n++, by: 'a' as never, type: 'escalated', escalation: {} as never } as TimelineEntry, plan(3), msg('a', 'concern'), plan(4), msg('a', 'concern'), plan(5)]
    expect(timelineRows(entries).some((r) => r.kind === 'collapsed')).toBe(false)
  })
})
