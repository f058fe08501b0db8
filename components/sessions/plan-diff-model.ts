/**
 * Word-level differences between two plan versions, for the timeline: the summary, each step's
 * reason, each artifact's description and each list item are compared word by word (jsdiff's
 * `diffWords`), so a revision that changes three words shows three words, not two paragraphs.
 */
import { diffArrays, diffWords } from 'diff'
import type { Plan } from '@/lib/core/planner/plan'

/** A run of text: unchanged, added or removed. */
export interface Part {
  text: string
  op: 'same' | 'add' | 'del'
}

/** One changed line of a plan: a field item that was added, removed or changed (with its parts). */
export interface DiffLine {
  kind: 'added' | 'removed' | 'changed'
  parts: Part[]
}

/** The changed lines of one part of the plan. */
export interface DiffSection {
  field: 'summary' | 'sequence' | 'artifacts' | 'coordinationPoints' | 'risks' | 'successCriteria'
  label: string
  lines: DiffLine[]
}

/** Word diff of two strings as parts. */
export function wordParts(before: string, after: string): Part[] {
  return diffWords(before, after).map((c) => ({ text: c.value, op: c.added ? 'add' : c.removed ? 'del' : 'same' }))
}

const whole = (text: string, op: Part['op']): Part[] => [{ text, op }]

/** Lines of two string lists: unchanged items dropped, a removed item next to an added one diffed word by word. */
function listLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const out: DiffLine[] = []
  const chunks = diffArrays([...before], [...after])
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]
    if (!c.added && !c.removed) continue
    const next = chunks[i + 1]
    if (c.removed && next?.added) {
      const n = Math.max(c.value.length, next.value.length)
      for (let k = 0; k < n; k++) {
        const [b, a] = [c.value[k], next.value[k]]
        if (b != null && a != null) out.push({ kind: 'changed', parts: wordParts(b, a) })
        else if (b != null) out.push({ kind: 'removed', parts: whole(b, 'del') })
        else out.push({ kind: 'added', parts: whole(a!, 'add') })
      }
      i++
      continue
    }
    for (const v of c.value) out.push({ kind: c.added ? 'added' : 'removed', parts: whole(v, c.added ? 'add' : 'del') })
  }
  return out
}

/** Keyed lines: items matched by key, changed text diffed word by word. */
function keyedLines<T>(before: readonly T[], after: readonly T[], key: (t: T) => string, text: (t: T) => string): DiffLine[] {
  const b = new Map(before.map((t) => [key(t), t]))
  const a = new Map(after.map((t) => [key(t), t]))
  const out: DiffLine[] = []
  for (const [k, x] of b) {
    const y = a.get(k)
    if (y == null) out.push({ kind: 'removed', parts: whole(text(x), 'del') })
    else if (text(x) !== text(y)) out.push({ kind: 'changed', parts: wordParts(text(x), text(y)) })
  }
  for (const [k, y] of a) if (!b.has(k)) out.push({ kind: 'added', parts: whole(text(y), 'add') })
  return out
}

/** The sections of `after` that differ from `before`, each with its changed lines (who planned it is in the row's header, not here). */
export function planDiff(before: Plan, after: Plan, taskName: (id: string) => string = (id) => id): DiffSection[] {
  const sections: DiffSection[] = []
  const push = (field: DiffSection['field'], label: string, lines: DiffLine[]) => lines.length > 0 && sections.push({ field, label, lines })
  if (before.summary !== after.summary) push('summary', 'Summary', [{ kind: 'changed', parts: wordParts(before.summary, after.summary) }])
  push('sequence', 'Sequence', keyedLines(before.sequence, after.sequence, (s) => s.taskId, (s) => `${s.order}. ${taskName(s.taskId)} — ${s.reason}`))
  push('artifacts', 'Artifacts', keyedLines(before.artifacts, after.artifacts, (x) => x.name, (x) => `${x.name}: ${x.description}`))
  push('coordinationPoints', 'Coordination points', listLines(before.coordinationPoints, after.coordinationPoints))
  push('risks', 'Risks', listLines(before.risks, after.risks))
  push('successCriteria', 'Success criteria', listLines(before.successCriteria, after.successCriteria))
  return sections
}

/** Words added and removed across the sections (for a one-line summary in compact mode). */
export function changeCount(sections: readonly DiffSection[]): { added: number; removed: number } {
  let added = 0
  let removed = 0
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length
  for (const s of sections) for (const l of s.lines) for (const p of l.parts) if (p.op === 'add') added += words(p.text); else if (p.op === 'del') removed += words(p.text)
  return { added, removed }
}
