import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventKind } from '../events/kinds'
import { PayloadVerdicts, schemaAccepts } from './verdicts'

const DUE_KINDS = ['dependency.detected', 'session.opened', 'session.escalated', 'session.resolved', 'session.closed'] as const satisfies readonly EventKind[]

const b32 = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567')
const eventId = fc.string({ unit: b32, minLength: 58, maxLength: 58 }).map((s) => `b${s}`)
const sessionId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((s) => `ses_${s}`)
/** Strings on both sides of the schemas' length limits. */
const text = fc.oneof(fc.constantFrom(0, 1, 64, 65, 200, 201, 2000, 2001).map((n) => 'x'.repeat(n)), fc.string({ maxLength: 3 }))
/** Values a schema may judge differently although JSON writes them alike (or not at all). */
const odd = fc
  .constantFrom<(() => unknown)[]>(() => undefined, () => NaN, () => Infinity, () => -Infinity, () => -0, () => null, () => new Date(0), () => new Uint8Array(64), () => () => 1)
  .map((make) => make())
const leaf = fc.oneof(eventId, sessionId, text, fc.integer({ min: -2, max: 600 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean(), odd)

/** Payloads shaped like what `due` returns, most of them valid, with any field possibly off. */
const shaped = fc.oneof(
  fc.record({
    dependency: fc.record({ task1: text, task2: text, relationship: text, confidence: fc.oneof(fc.double({ min: 0, max: 1.5, noNaN: true }), odd), reason: text }),
    claims: fc.oneof(fc.tuple(eventId, eventId), fc.array(leaf, { maxLength: 3 })),
    rule: fc.option(eventId, { nil: undefined }),
  }),
  fc.record({ session: sessionId, type: fc.constantFrom('dependency', 'conflict', 'other'), tasks: fc.array(text, { maxLength: 3 }), rule: text, evidence: fc.array(eventId, { maxLength: 3 }) }),
  fc.record({ session: sessionId, reason: fc.constantFrom('message_limit'), threshold: fc.oneof(fc.integer({ min: 0, max: 501 }), odd), opened: eventId, messages: fc.array(fc.oneof(eventId, odd), { maxLength: 4 }) }),
  fc.record({ session: sessionId, reason: fc.constantFrom('duration'), maxDurationMs: fc.oneof(fc.integer({ min: 0, max: 10 }), odd), opened: eventId }),
  fc.record({ session: sessionId, reason: fc.constantFrom('requested'), note: fc.oneof(text, odd) }),
  fc.record({ session: sessionId, reason: fc.constantFrom('consensus'), plan: eventId, agreements: fc.array(eventId, { maxLength: 2 }), participants: fc.oneof(fc.integer({ min: 0, max: 51 }), odd) }),
  fc.record({ session: sessionId, reason: fc.constantFrom('inactivity', 'completed'), note: fc.option(text, { nil: undefined }), evidence: fc.option(fc.array(eventId, { maxLength: 3 }), { nil: undefined }) }),
)

type Step =
  | { op: 'new'; kind: EventKind; payload: Record<string, unknown> }
  | { op: 'again'; at: number }
  | { op: 'mutate'; at: number; key: string; inner: boolean; value: unknown }
  | { op: 'twin'; at: number }
  | { op: 'inherit'; at: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('new' as const), kind: fc.constantFrom(...DUE_KINDS), payload: shaped as fc.Arbitrary<Record<string, unknown>> }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('again' as const), at: fc.nat({ max: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('mutate' as const), at: fc.nat({ max: 8 }), key: fc.constantFrom('session', 'reason', 'note', 'dependency', 'claims', 'evidence', 'participants', 'confidence', '0'), inner: fc.boolean(), value: leaf }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('twin' as const), at: fc.nat({ max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('inherit' as const), at: fc.nat({ max: 1 }) }) },
)

/** Sets `key` on the payload, or on the first object or array inside it. */
function mutate(p: Record<string, unknown>, key: string, inner: boolean, value: unknown): void {
  const nested = inner ? Object.values(p).find((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !(v instanceof Date)) : undefined
  ;(nested ?? p)[key] = value
}

describe('PayloadVerdicts', () => {
  it('gives the schema’s own verdict over any sequence: repeats, payloads changed after their first check, JSON twins, inherited fields (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(step, { minLength: 1, maxLength: 60 }), (max, steps) => {
        const verdicts = new PayloadVerdicts(max)
        const seen: { kind: EventKind; payload: Record<string, unknown> }[] = []
        for (const s of steps) {
          if (s.op === 'new') seen.push({ kind: s.kind, payload: s.payload })
          if (seen.length === 0) continue
          // Counted back from the latest payload, so changes pile on one another.
          const at = s.op === 'new' ? seen.length - 1 : seen.length - 1 - (s.at % seen.length)
          const { kind, payload } = seen[at]
          // A JSON twin writes as the payload does; an heir reads its fields through the prototype.
          if (s.op === 'twin') seen.push({ kind, payload: JSON.parse(JSON.stringify(payload)) })
          if (s.op === 'inherit') seen.push({ kind, payload: Object.create(payload) })
          if (s.op === 'mutate') mutate(payload, s.key, s.inner, s.value)
          const checked = seen[s.op === 'twin' || s.op === 'inherit' ? seen.length - 1 : at]
          expect(verdicts.accepts(checked.kind, checked.payload)).toBe(schemaAccepts(checked.kind, checked.payload))
          expect(verdicts.size).toBeLessThanOrEqual(max)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('remembers valid payloads: a repeated check finds its verdict held', () => {
    const verdicts = new PayloadVerdicts(2)
    const p = () => ({ session: `ses_${'a'.repeat(32)}`, reason: 'inactivity' as const })
    expect(verdicts.accepts('session.closed', p())).toBe(true)
    expect(verdicts.size).toBe(1)
    expect(verdicts.accepts('session.closed', p())).toBe(true)
    expect(verdicts.size).toBe(1)
  })
})
