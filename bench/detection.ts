/**
 * Detection benchmark (issue 3): the inverted index against CHORUS's pairwise algorithm, both
 * run here on the same synthetic tasks. Pairwise at 100k would take hours, so there (and in
 * quick mode) it is timed on a random subset with the same nested loop and extrapolated by
 * pair count: its cost per pair does not depend on N.
 */
import { DependencyIndex, DEFAULT_MAX_POSTINGS, detectPair, type Dependency, type Task } from '../lib/core/rules/index'
import { baselineAll, prepareBaseline } from './chorus-baseline'
import { rng, syntheticTasks } from './synthetic'
import type { BenchOptions, BenchResult } from './types'

const BASELINE_NAME = 'CHORUS pairwise (substring rules)'
const GOAL_RATIO = 100
const VERIFY_SAMPLE = 200

const pairs = (n: number) => (n * (n - 1)) / 2
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

function subset<T>(items: readonly T[], m: number, seed: number): T[] {
  const random = rng(seed)
  const copy = [...items]
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (copy.length - i))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy.slice(0, m)
}

interface IndexRun {
  ms: number
  deps: Dependency[]
  addMicros: number[]
  index: DependencyIndex
}

function runIndex(tasks: readonly Task[], maxPostings = DEFAULT_MAX_POSTINGS): IndexRun {
  const index = new DependencyIndex([], { maxPostings })
  const deps: Dependency[] = []
  const addMicros: number[] = []
  const start = performance.now()
  for (const t of tasks) {
    const t0 = performance.now()
    for (const d of index.addTask(t)) deps.push(d)
    addMicros.push((performance.now() - t0) * 1000)
  }
  return { ms: performance.now() - start, deps, addMicros, index }
}

/** Pairwise time for all of `tasks`: measured in full, or on an m-task subset and scaled by pair count. */
function runBaseline(tasks: readonly Task[], sampleSize: number | undefined): { ms: number; how: string } {
  if (sampleSize === undefined || sampleSize >= tasks.length) {
    const start = performance.now()
    const prepared = tasks.map(prepareBaseline)
    baselineAll(prepared)
    return { ms: performance.now() - start, how: `measured on all ${pairs(tasks.length).toExponential(2)} pairs` }
  }
  const sample = subset(tasks, sampleSize, 7).map(prepareBaseline)
  const start = performance.now()
  baselineAll(sample)
  const perPair = (performance.now() - start) / pairs(sampleSize)
  return {
    ms: perPair * pairs(tasks.length),
    how: `extrapolated: ${round(perPair * 1e6, 3)} ns/pair measured on all pairs of a random ${sampleSize}-task subset, × ${pairs(tasks.length).toExponential(2)} pairs`,
  }
}

/** Every reported dependency in a sample must equal detectPair's verdict for its pair. */
function verify(tasks: readonly Task[], deps: readonly Dependency[]): number {
  const byId = new Map(tasks.map((t) => [t.taskId, t]))
  const random = rng(11)
  let ok = 0
  for (let i = 0; i < Math.min(VERIFY_SAMPLE, deps.length); i++) {
    const d = deps[Math.floor(random() * deps.length)]
    const again = detectPair(byId.get(d.task1)!, byId.get(d.task2)!)
    if (again.some((x) => JSON.stringify(x) === JSON.stringify(d))) ok++
  }
  return ok
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]

/** Runs the detection benchmarks: 10k and 100k tasks, index vs pairwise, plus add latency and recall. */
export async function benchDetection(opts: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  // Quick mode proves the code paths in seconds; the goal is only judged on a full run at 100k.
  for (const n of opts.quick ? [10_000, 30_000] : [10_000, 100_000]) {
    const tasks = syntheticTasks(n, { repositories: n / 10, seed: n })
    const run = runIndex(tasks)
    const sampleSize = opts.quick ? 1500 : n > 10_000 ? 5000 : undefined
    const base = runBaseline(tasks, sampleSize)
    const ratio = base.ms / run.ms
    const verified = verify(tasks, run.deps)
    results.push({
      name: `detection.all@${n / 1000}k`,
      value: round(run.ms),
      unit: 'ms',
      baseline: { name: BASELINE_NAME, value: round(base.ms), unit: 'ms' },
      ratio: round(ratio),
      ...(n === 100_000 ? { goal: `≥ ${GOAL_RATIO}× faster than pairwise`, met: ratio >= GOAL_RATIO } : {}),
      note:
        `${run.deps.length} dependencies (${round(run.deps.length / n)}/task), ${round(run.index.stats.candidates / n)} candidates/task, ` +
        `maxPostings ${DEFAULT_MAX_POSTINGS}, ${run.index.stats.hotKeysSkipped} hot-key lookups skipped; ` +
        `${verified}/${Math.min(VERIFY_SAMPLE, run.deps.length)} sampled results re-verified with detectPair; baseline ${base.how}`,
    })
    if (n === (opts.quick ? 30_000 : 100_000)) {
      const last = run.addMicros.slice(-10_000)
      const pairwiseAdd = (base.ms / pairs(n)) * n * 1000
      results.push({
        name: `detection.addTask.p99@${n / 1000}k`,
        value: round(percentile(last, 0.99)),
        unit: 'µs',
        baseline: { name: `${BASELINE_NAME}: one task against all ${n}`, value: round(pairwiseAdd), unit: 'µs' },
        ratio: round(pairwiseAdd / percentile(last, 0.99)),
        note: `over the last 10k adds; mean ${round(last.reduce((a, b) => a + b, 0) / last.length)} µs`,
      })
    }
  }
  // What the hot-key cap costs: the share of the exact (uncapped) result the default index finds.
  const m = opts.quick ? 1000 : 3000
  const tasks = syntheticTasks(m, { repositories: m / 10, seed: m })
  const capped = runIndex(tasks)
  const exact = runIndex(tasks, Infinity)
  results.push({
    name: `detection.recall@${m / 1000}k`,
    value: round((100 * capped.deps.length) / Math.max(1, exact.deps.length)),
    unit: '%',
    baseline: { name: 'uncapped index (= pairwise detectPair)', value: 100, unit: '%' },
    note: `${capped.deps.length} of ${exact.deps.length} dependencies with maxPostings ${DEFAULT_MAX_POSTINGS}; uncapped took ${round(exact.ms)} ms vs ${round(capped.ms)} ms`,
  })
  return results
}
