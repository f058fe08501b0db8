/**
 * Paths a task touches in its repository (files, directories or globs). Two claimed tasks of
 * one repository whose paths overlap hold a lease on the same files: the mesh opens a conflict
 * session for them (ADR 0081). The glob dialect is small and frozen here — `*`, `**`, `?` and
 * `{a,b}` — because peers verify such sessions by recomputing the overlap, so every peer must
 * read a glob the same way, whatever library versions it runs.
 */
import { sameRepository } from './repository'

/** Repository-relative, forward slashes, no `./`, no duplicate or trailing `/`. */
export function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/')
}

/** True for a path the schema accepts: relative to the repository, never climbing out of it. */
export const isRepoPath = (path: string): boolean => {
  const n = normalizePath(path)
  return n.length > 0 && !n.split('/').includes('..')
}

const MAX_ALTERNATIVES = 64

/** `{a,b}.ts` → `a.ts`, `b.ts`: the brace alternatives of one segment (bounded). */
function expandBraces(seg: string): string[] {
  const open = seg.indexOf('{')
  const close = open < 0 ? -1 : seg.indexOf('}', open)
  if (close < 0) return [seg]
  const head = seg.slice(0, open)
  const out: string[] = []
  for (const alt of seg.slice(open + 1, close).split(',')) {
    for (const rest of expandBraces(seg.slice(close + 1))) {
      if (out.length >= MAX_ALTERNATIVES) return out
      out.push(head + alt + rest)
    }
  }
  return out
}

const WILD = /[*?]/
/** A segment with an extension (`login.ts`, `*.sql`) names files, not a directory. */
const FILE = /.\.[A-Za-z0-9]+$/

/** The glob segment as an anchored regular expression (`*` and `?` never cross '/'). */
const segmentRe = (seg: string): RegExp =>
  new RegExp('^' + seg.replace(/[.+^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$')

/**
 * True if some segment name matches both brace-free segment patterns. Exact for a literal
 * against a pattern; for two patterns it compares what they fix before the first and after
 * the last wildcard (`*.ts` and `*.css` cannot meet; `login*` and `*.ts` can).
 */
function segmentsMeet(a: string, b: string): boolean {
  const [wa, wb] = [WILD.test(a), WILD.test(b)]
  if (!wa && !wb) return a === b
  if (!wa) return segmentRe(b).test(a)
  if (!wb) return segmentRe(a).test(b)
  const head = (s: string) => s.slice(0, s.search(WILD))
  const tail = (s: string) => s.slice(Math.max(s.lastIndexOf('*'), s.lastIndexOf('?')) + 1)
  const [ha, hb, ta, tb] = [head(a), head(b), tail(a), tail(b)]
  return (ha.startsWith(hb) || hb.startsWith(ha)) && (ta.endsWith(tb) || tb.endsWith(ta))
}

const segmentsOverlap = (a: string, b: string): boolean => expandBraces(a).some((x) => expandBraces(b).some((y) => segmentsMeet(x, y)))

/**
 * True if two repository paths or globs may name a common file. Each stands for what it
 * matches and, unless its last segment has an extension, everything below that (a path may
 * be a directory), so `src` overlaps
 * `src/auth/login.ts` and `src/{auth,api}/login.ts` overlaps `src/auth`. `**` spans any number of
 * segments. A lease errs towards coordinating: two patterns meet unless some segment cannot.
 */
export function pathsOverlap(p: string, q: string): boolean {
  const a = normalizePath(p).split('/')
  const b = normalizePath(q).split('/')
  const memo = new Map<number, boolean>()
  // A pattern that ends early covers what lies below it only if it names a directory.
  const open = (segs: string[]) => { const last = segs[segs.length - 1]; return last === '**' || !FILE.test(last) }
  const go = (i: number, j: number): boolean => {
    if (i === a.length && j === b.length) return true
    if (i === a.length) return open(a)
    if (j === b.length) return open(b)
    const k = i * (b.length + 1) + j
    const known = memo.get(k)
    if (known !== undefined) return known
    let r: boolean
    if (a[i] === '**') r = go(i + 1, j) || go(i, j + 1)
    else if (b[j] === '**') r = go(i, j + 1) || go(i + 1, j)
    else r = segmentsOverlap(a[i], b[j]) && go(i + 1, j + 1)
    memo.set(k, r)
    return r
  }
  return go(0, 0)
}

/** The overlapping (path of a, path of b) pairs of two tasks' path lists, in input order. */
export function overlappingPaths(a: readonly string[] | undefined, b: readonly string[] | undefined): [string, string][] {
  const out: [string, string][] = []
  for (const p of a ?? []) for (const q of b ?? []) if (pathsOverlap(p, q)) out.push([p, q])
  return out
}

/** Two tasks' lease clash: same repository, different tasks, and some of their paths overlap. */
export function pathConflict(
  a: { taskId: string; repository: string; paths?: readonly string[] },
  b: { taskId: string; repository: string; paths?: readonly string[] },
): [string, string][] {
  if (a.taskId === b.taskId || !sameRepository(a.repository, b.repository)) return []
  return overlappingPaths(a.paths, b.paths)
}

/** The session rule of a path conflict (the `rule` of its `session.opened`). */
export const PATHS_RULE = 'paths'
