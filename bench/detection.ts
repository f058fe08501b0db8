/**
 * Detection benchmark (docs/adr/0016): the index against the pairwise reference of the same
 * rules (`roomDependencies`: every pair checked under the room's hot entities), so the speed-up
 * is for the same result, and the result is checked: whole at 4k, sampled at 100k. Pairwise at
 * 100k would take tens of minutes, so there it is timed on all pairs of a random subset (with
 * the whole room's hot entities, i.e. the same work per pair) and scaled by pair count.
 * CHORUS's substring algorithm is timed too, in its own row: it computes a different result.
 */
import { compileRules } from '../lib/core/rules/compile'
import { detectFeatures } from '../lib/core/rules/detect'
import { taskFeatures, type TaskFeatures } from '../lib/core/rules/features'
import { DependencyIndex, HOT_ENTITY_TASKS, roomDependencies, type Dependency, type Task } from '../lib/core/rules/index'
import { entityCounts, hotIn } from '../lib/core/rules/room'
import { baselineAll, prepareBaseline } from './chorus-baseline'
import { rng, syntheticTasks } from './synthetic'
import type { BenchOptions, BenchResult } from './types'

const GOAL_RATIO = 100
const GOAL_LINKS = 5
const REFERENCE = 'pairwise roomDependencies (same rules, same result)'

const pairs = (n: number) => (n * (n - 1)) / 2

/**
 * CPU time of this process in ms (user + system, GC threads included). The machines these
 * runs share are often loaded; wall time then measures the neighbours, CPU time the code.
 */
const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits
const key = (d: Dependency) => JSON.stringify([d.task1, d.task2, d.relationship, d.confidence, d.reason])

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

function runIndex(tasks: readonly Task[]): IndexRun {
  const index = new DependencyIndex()
  const addMicros: number[] = []
  const start = cpuMs()
  for (const t of tasks) {
    const t0 = performance.now()
    index.addTask(t)
    addMicros.push((performance.now() - t0) * 1000)
  }
  const ms = cpuMs() - start
  return { ms, deps: index.all(), addMicros, index }
}

/** The reference's cost: features and entity counts for the room (measured), then every pair (measured on a subset and scaled, or measured in full). */
function referenceCost(tasks: readonly Task[], sampleSize: number): { ms: number; how: string; features: TaskFeatures[]; hot: (e: string) => boolean } {
  const start = cpuMs()
  const features = tasks.map(taskFeatures)
  const hot = hotIn(entityCounts(features))
  const prepMs = cpuMs() - start
  const rules = compileRules([])
  const m = Math.min(sampleSize, tasks.length)
  const sample = m === tasks.length ? features : subset(features, m, 7)
  const t0 = cpuMs()
  for (let i = 0; i < sample.length; i++) for (let j = i + 1; j < sample.length; j++) detectFeatures(sample[i], sample[j], rules, hot)
  const perPair = (cpuMs() - t0) / pairs(m)
  const how = m === tasks.length
    ? `measured on all ${pairs(m).toExponential(2)} pairs`
    : `${round(prepMs)} ms features and entity counts for the room, measured, + ${round(perPair * 1e6)} ns/pair measured on all pairs of a random ${m}-task subset under the room's hot entities, × ${pairs(tasks.length).toExponential(2)} pairs`
  return { ms: prepMs + perPair * pairs(tasks.length), how, features, hot }
}

/** Exact comparison for a sample of tasks: each against every other task with the reference, vs what the index holds. */
function sampledCheck(tasks: readonly Task[], run: IndexRun, features: TaskFeatures[], hot: (e: string) => boolean, sample: number) {
  const rules = compileRules([])
  let exact = 0
  let found = 0
  let extra = 0
  for (const i of subset(tasks.map((_, k) => k), sample, 13)) {
    const want = new Set<string>()
    for (let j = 0; j < tasks.length; j++) if (j !== i) for (const d of detectFeatures(features[i], features[j], rules, hot)) want.add(key(d))
    exact += want.size
    for (const d of run.index.dependenciesOf(tasks[i].taskId)) if (want.has(key(d))) found++
    else extra++
  }
  return { exact, found, extra }
}

/**
 * The whole room's built-in links without the index's keys: a built-in link needs a shared
 * entity that is not hot (ADR 0016), so only pairs inside a non-hot entity's holders (≤ 32 each)
 * can be linked; every such pair is checked with the rules. Complete for sets with no custom
 * rules or artifacts, as the synthetic one.
 */
function byEntityGroups(features: TaskFeatures[], hot: (e: string) => boolean): Set<string> {
  const rules = compileRules([])
  const holders = new Map<string, number[]>()
  features.forEach((f, i) => {
    for (const e of f.entities) if (!hot(e)) (holders.get(e) ?? holders.set(e, []).get(e)!).push(i)
  })
  const out = new Set<string>()
  for (const group of holders.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) for (const d of detectFeatures(features[group[i]], features[group[j]], rules, hot)) out.add(key(d))
  }
  return out
}

/** CHORUS's algorithm on all pairs of a subset, scaled by pair count: a different result, timed for comparison only. */
function chorusCost(tasks: readonly Task[], m: number): { ms: number; perPairNs: number } {
  const sample = subset(tasks, m, 7).map(prepareBaseline)
  const start = cpuMs()
  baselineAll(sample)
  const perPair = (cpuMs() - start) / pairs(m)
  return { ms: perPair * pairs(tasks.length), perPairNs: perPair * 1e6 }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]

/** Runs the detection benchmarks at 4k (checked whole) and 100k tasks (checked on a sample). */
export async function benchDetection(opts: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const n of [4_000, 100_000]) {
    const large = n > 4_000
    const tasks = syntheticTasks(n, { repositories: n / 10, seed: n })
    const run = runIndex(tasks)
    const ref = referenceCost(tasks, large ? (opts.quick ? 2000 : 5000) : n)
    let check: { exact: number; found: number; extra: number; how: string }
    if (large) {
      const sample = opts.quick ? 40 : 200
      const sampled = sampledCheck(tasks, run, ref.features, ref.hot, sample)
      const whole = byEntityGroups(ref.features, ref.hot)
      const held = run.deps.filter((d) => whole.has(key(d))).length
      check = {
        exact: sampled.exact + whole.size,
        found: sampled.found + held,
        extra: sampled.extra + run.deps.length - held,
        how: `whole room by entity groups (every pair of tasks that share a non-hot entity, the only pairs the rules can link here: ${held} of ${whole.size} found, ${run.deps.length - held} extra) ` +
          `+ sampled: ${sample} random tasks, each checked against all ${n} with the reference (${sampled.found} of ${sampled.exact} found, ${sampled.extra} extra)`,
      }
    } else {
      const want = new Set(roomDependencies(tasks).map(key))
      const found = run.deps.filter((d) => want.has(key(d))).length
      check = { exact: want.size, found, extra: run.deps.length - found, how: `whole: all ${pairs(n).toExponential(2)} pairs` }
    }
    const same = check.found === check.exact && check.extra === 0
    const recall = (100 * check.found) / Math.max(1, check.exact)
    const ratio = ref.ms / run.ms
    const tag = `${n / 1000}k`
    results.push({
      name: `detection.all@${tag}`,
      value: round(run.ms),
      unit: 'ms CPU',
      baseline: { name: REFERENCE, value: round(ref.ms), unit: 'ms CPU' },
      ratio: round(ratio),
      ...(large ? { goal: `≥ ${GOAL_RATIO}× faster than pairwise with the same result (recall 100 %, nothing extra)`, met: ratio >= GOAL_RATIO && same } : {}),
      note:
        `${same ? 'the SAME result as the reference' : 'NOT the reference result'} (${check.how}: ${check.found} of ${check.exact} found, ${check.extra} extra); ` +
        `${run.deps.length} dependencies, ${run.index.stats.candidates} candidates, ${run.index.stats.rechecked} pairs re-checked on hot/cool transitions, ` +
        `${run.index.stats.hotKeysSkipped} lookups of hot entities skipped (hot = held by > ${HOT_ENTITY_TASKS} tasks); reference ${ref.how}`,
    })
    results.push({
      name: `detection.recall@${tag}`,
      value: round(recall, 1),
      unit: '%',
      baseline: { name: REFERENCE, value: 100, unit: '%' },
      ...(large ? { goal: 'recall 100 % of the exact rules, nothing extra', met: same, judged: 'value' as const } : {}),
      note: `${check.how}; ${check.found} of ${check.exact} exact dependencies held by the index, ${check.extra} held that the reference does not give`,
    })
    const degree = (2 * run.deps.length) / n
    results.push({
      name: `detection.links@${tag}`,
      value: round(degree, 2),
      unit: 'links/task',
      ...(large ? { goal: `≤ ${GOAL_LINKS} links per task`, met: degree <= GOAL_LINKS, judged: 'value' as const } : {}),
      note: `mean dependencies a task takes part in (${run.deps.length} dependencies among ${n} tasks); ${tasks.filter((t) => run.index.dependenciesOf(t.taskId).length === 0).length} tasks have none; ` +
        `max ${Math.max(...tasks.map((t) => run.index.dependenciesOf(t.taskId).length))}; the pair rule without the room (detectPair alone) links far more on this set (docs/adr/0016)`,
    })
    if (large) {
      const last = run.addMicros.slice(-10_000)
      const meanAdd = (run.ms * 1000) / n
      const pairwiseAdd = (ref.ms / pairs(n)) * n * 1000
      results.push({
        name: `detection.addTask.mean@${tag}`,
        value: round(meanAdd),
        unit: 'µs CPU',
        baseline: { name: `${REFERENCE}: one task against all ${n}`, value: round(pairwiseAdd), unit: 'µs CPU' },
        ratio: round(pairwiseAdd / meanAdd),
        note: `p99 wall time over the last 10k adds ${round(percentile(last, 0.99))} µs (GC pauses and machine load included)`,
      })
      const m = opts.quick ? 1500 : 3000
      const chorus = chorusCost(tasks, m)
      results.push({
        name: `detection.vs-chorus@${tag}`,
        value: round(run.ms),
        unit: 'ms CPU',
        baseline: { name: 'CHORUS pairwise (substring rules)', value: round(chorus.ms), unit: 'ms CPU' },
        ratio: round(chorus.ms / run.ms),
        note: `a DIFFERENT result: CHORUS's substring rules, not ours; for scale only. ${round(chorus.perPairNs)} ns/pair measured on all pairs of a random ${m}-task subset, × ${pairs(n).toExponential(2)} pairs`,
      })
    }
  }
  return results
}
