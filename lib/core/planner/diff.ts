/**
 * Structured differences between two plan versions, for the session timeline's diff view.
 * Sequence steps are matched by task id, artifacts by name, list items by their text.
 */
import type { Plan } from './plan'

type Step = Plan['sequence'][number]
type Artifact = Plan['artifacts'][number]
type ListField = 'coordinationPoints' | 'risks' | 'successCriteria'

/** One change from plan `a` to plan `b`. */
export type PlanChange =
  | { readonly field: 'summary'; readonly kind: 'changed'; readonly before: string; readonly after: string }
  | { readonly field: 'planner'; readonly kind: 'changed'; readonly before: Plan['planner']; readonly after: Plan['planner'] }
  | { readonly field: 'sequence'; readonly kind: 'added' | 'removed' | 'changed'; readonly key: string; readonly before?: Step; readonly after?: Step }
  | { readonly field: 'artifacts'; readonly kind: 'added' | 'removed' | 'changed'; readonly key: string; readonly before?: Artifact; readonly after?: Artifact }
  | { readonly field: ListField; readonly kind: 'added' | 'removed'; readonly key: string }

const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y)

/** Keyed diff; a key that occurs twice is matched occurrence by occurrence ("t1", "t1#2"). */
function keyed<T>(before: readonly T[], after: readonly T[], keyOf: (t: T) => string) {
  const index = (items: readonly T[]) => {
    const seen = new Map<string, number>()
    const out = new Map<string, T>()
    for (const item of items) {
      const k = keyOf(item)
      const n = (seen.get(k) ?? 0) + 1
      seen.set(k, n)
      out.set(n === 1 ? k : `${k}#${n}`, item)
    }
    return out
  }
  const [ia, ib] = [index(before), index(after)]
  const changes: { kind: 'added' | 'removed' | 'changed'; key: string; before?: T; after?: T }[] = []
  for (const [k, x] of ia) {
    const y = ib.get(k)
    if (y === undefined) changes.push({ kind: 'removed', key: k, before: x })
    else if (!same(x, y)) changes.push({ kind: 'changed', key: k, before: x, after: y })
  }
  for (const [k, y] of ib) if (!ia.has(k)) changes.push({ kind: 'added', key: k, after: y })
  return changes
}

/** The changes that turn plan `a` into plan `b`; empty when they are equal. */
export function diffPlans(a: Plan, b: Plan): PlanChange[] {
  const out: PlanChange[] = []
  if (a.summary !== b.summary) out.push({ field: 'summary', kind: 'changed', before: a.summary, after: b.summary })
  for (const c of keyed(a.sequence, b.sequence, (s) => s.taskId)) out.push({ field: 'sequence', ...c })
  for (const c of keyed(a.artifacts, b.artifacts, (x) => x.name)) out.push({ field: 'artifacts', ...c })
  for (const field of ['coordinationPoints', 'risks', 'successCriteria'] as const) {
    for (const c of keyed(a[field], b[field], (s) => s)) {
      if (c.kind !== 'changed') out.push({ field, kind: c.kind, key: c.key })
    }
  }
  if (!same(a.planner, b.planner)) out.push({ field: 'planner', kind: 'changed', before: a.planner, after: b.planner })
  return out
}
