/**
 * Incremental dependency detection over an inverted index (DESIGN §2: never a scan of all
 * pairs). `addTask` looks only at tasks that share a key with the new task (keys.ts) and runs
 * the pairwise reference (`detectFeatures`) on them, so every reported pair equals
 * `detectPair` for that pair.
 */
import { compileRules, type CompiledRule } from './compile'
import { byStrength, detectFeatures } from './detect'
import { taskFeatures, type TaskFeatures } from './features'
import { taskKeys } from './keys'
import type { CustomRule, Dependency, Task } from './types'

/**
 * A key shared by more tasks than this is "hot" (an entity like "user" in a 100k-task room)
 * and is not used to find candidates: the new task still meets its partners through any
 * rarer shared key. This bounds `addTask` to O(keys × cap) and is the one place where the
 * index may report fewer pairs than pairwise detection (docs/adr/0014).
 */
export const DEFAULT_MAX_POSTINGS = 1000

/** Options of a DependencyIndex. */
export interface DependencyIndexOptions {
  /** Posting-list size above which a key is skipped when finding candidates (default 1000; Infinity = exact). */
  readonly maxPostings?: number
}

/** Work counters, for benchmarks and tests. */
export interface IndexStats {
  candidates: number
  hotKeysSkipped: number
}

interface Entry {
  readonly task: Task
  readonly features: TaskFeatures
  readonly posted: readonly string[]
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`)

/** Sorts by task1, task2, then strongest first. */
export const byPair = (p: Dependency, q: Dependency): number =>
  p.task1 < q.task1 ? -1 : p.task1 > q.task1 ? 1 : p.task2 < q.task2 ? -1 : p.task2 > q.task2 ? 1 : byStrength(p, q)

/** An inverted index of tasks that reports dependencies as tasks are added. */
export class DependencyIndex {
  private customRules: readonly CustomRule[]
  private rules: readonly CompiledRule[]
  private readonly maxPostings: number
  private readonly tasks = new Map<string, Entry>()
  private readonly postings = new Map<string, Set<string>>()
  private readonly deps = new Map<string, Dependency[]>()
  private readonly neighbours = new Map<string, Set<string>>()
  /** Counters since construction. */
  readonly stats: IndexStats = { candidates: 0, hotKeysSkipped: 0 }

  constructor(customRules: readonly CustomRule[] = [], options: DependencyIndexOptions = {}) {
    this.customRules = customRules
    this.rules = compileRules(customRules)
    this.maxPostings = options.maxPostings ?? DEFAULT_MAX_POSTINGS
  }

  /** Number of tasks held. */
  get size(): number {
    return this.tasks.size
  }

  /** Adds (or replaces) a task; returns the dependencies between it and the tasks already held. */
  addTask(task: Task): Dependency[] {
    if (this.tasks.has(task.taskId)) this.removeTask(task.taskId)
    const features = taskFeatures(task)
    const keys = taskKeys(this.rules, features)
    const candidates = new Set<string>()
    for (const k of keys.query) {
      const posting = this.postings.get(k)
      if (!posting) continue
      if (posting.size > this.maxPostings) {
        this.stats.hotKeysSkipped++
        continue
      }
      for (const id of posting) candidates.add(id)
    }
    this.stats.candidates += candidates.size
    const found: Dependency[] = []
    for (const id of candidates) {
      const other = this.tasks.get(id)
      if (!other) continue
      const deps = detectFeatures(features, other.features, this.rules)
      if (deps.length === 0) continue
      this.deps.set(pairKey(task.taskId, id), deps)
      this.link(task.taskId, id)
      found.push(...deps)
    }
    for (const k of keys.post) {
      let posting = this.postings.get(k)
      if (!posting) this.postings.set(k, (posting = new Set()))
      posting.add(task.taskId)
    }
    this.tasks.set(task.taskId, { task, features, posted: keys.post })
    return found.sort(byPair)
  }

  /** Removes a task and every dependency it takes part in; unknown ids are ignored. */
  removeTask(taskId: string): void {
    const entry = this.tasks.get(taskId)
    if (!entry) return
    for (const k of entry.posted) {
      const posting = this.postings.get(k)
      posting?.delete(taskId)
      if (posting?.size === 0) this.postings.delete(k)
    }
    for (const other of this.neighbours.get(taskId) ?? []) {
      this.deps.delete(pairKey(taskId, other))
      this.neighbours.get(other)?.delete(taskId)
    }
    this.neighbours.delete(taskId)
    this.tasks.delete(taskId)
  }

  /**
   * Replaces the custom rules and re-detects everything (tasks are re-added in their original
   * order); returns the dependencies that hold now and did not before.
   */
  setRules(rules: readonly CustomRule[]): Dependency[] {
    const before = new Set(this.all().map((d) => `${pairKey(d.task1, d.task2)}\u0000${d.relationship}`))
    const tasks = [...this.tasks.values()].map((e) => e.task)
    this.tasks.clear()
    this.postings.clear()
    this.deps.clear()
    this.neighbours.clear()
    this.customRules = rules
    this.rules = compileRules(rules)
    for (const t of tasks) this.addTask(t)
    return this.all().filter((d) => !before.has(`${pairKey(d.task1, d.task2)}\u0000${d.relationship}`))
  }

  /** The custom rules in force. */
  get customRuleSet(): readonly CustomRule[] {
    return this.customRules
  }

  /** Every dependency held, sorted by task1, task2, then strongest first. */
  all(): Dependency[] {
    const out: Dependency[] = []
    for (const deps of this.deps.values()) out.push(...deps)
    return out.sort(byPair)
  }

  /** The dependencies a task takes part in, sorted like `all()`. */
  dependenciesOf(taskId: string): Dependency[] {
    const out: Dependency[] = []
    for (const other of this.neighbours.get(taskId) ?? []) out.push(...(this.deps.get(pairKey(taskId, other)) ?? []))
    return out.sort(byPair)
  }

  private link(a: string, b: string): void {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      let set = this.neighbours.get(x)
      if (!set) this.neighbours.set(x, (set = new Set()))
      set.add(y)
    }
  }
}
