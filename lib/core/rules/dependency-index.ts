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
 * Once the room is large (see DEFAULT_EXACT_BELOW), a key shared by more tasks than this is
 * "hot" (an entity like "flag" in a 100k-task room) and is not used to find candidates: the new
 * task still meets its partners through any rarer shared key. This bounds `addTask` to
 * O(keys × cap) and is the one place where the index may report fewer pairs than pairwise
 * detection (docs/adr/0014).
 */
export const DEFAULT_MAX_POSTINGS = 32

/**
 * Below this many tasks the cap is off and the index is exact (equal to pairwise detection,
 * whatever the insertion order): an add then checks at most `size` candidates, never more than
 * pairwise would, so exactness is free in rooms of ordinary size.
 */
export const DEFAULT_EXACT_BELOW = 2000

/** Options of a DependencyIndex. */
export interface DependencyIndexOptions {
  /** Posting-list size above which a key is skipped when finding candidates (default 32; Infinity = always exact). */
  readonly maxPostings?: number
  /** Room size below which no key is skipped (default 2000). */
  readonly exactBelow?: number
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

/** Sorts by task1, task2, then strongest first. */
export const byPair = (p: Dependency, q: Dependency): number =>
  p.task1 < q.task1 ? -1 : p.task1 > q.task1 ? 1 : p.task2 < q.task2 ? -1 : p.task2 > q.task2 ? 1 : byStrength(p, q)

/**
 * An inverted index of tasks that reports dependencies as tasks are added. Internally tasks
 * are numbered (slots, never reused) so postings, de-duplication and edges work on integers.
 */
export class DependencyIndex {
  private customRules: readonly CustomRule[]
  private rules: readonly CompiledRule[]
  private readonly maxPostings: number
  private readonly exactBelow: number
  private readonly slotOf = new Map<string, number>()
  private entries: (Entry | undefined)[] = []
  private readonly postings = new Map<string, Set<number>>()
  /** slot → neighbour slot → the pair's dependencies (the same array on both sides). */
  private readonly edges = new Map<number, Map<number, Dependency[]>>()
  /** Candidate de-duplication without a Set per call: seenAt[slot] === epoch. */
  private seenAt: number[] = []
  private epoch = 0
  /** Counters since construction. */
  readonly stats: IndexStats = { candidates: 0, hotKeysSkipped: 0 }

  constructor(customRules: readonly CustomRule[] = [], options: DependencyIndexOptions = {}) {
    this.customRules = customRules
    this.rules = compileRules(customRules)
    this.maxPostings = options.maxPostings ?? DEFAULT_MAX_POSTINGS
    this.exactBelow = options.exactBelow ?? DEFAULT_EXACT_BELOW
  }

  /** Number of tasks held. */
  get size(): number {
    return this.slotOf.size
  }

  /** Adds (or replaces) a task; returns the dependencies between it and the tasks already held. */
  addTask(task: Task): Dependency[] {
    if (this.slotOf.has(task.taskId)) this.removeTask(task.taskId)
    const features = taskFeatures(task)
    const keys = taskKeys(this.rules, features)
    const slot = this.entries.length
    const epoch = ++this.epoch
    const candidates: number[] = []
    const cap = this.slotOf.size < this.exactBelow ? Infinity : this.maxPostings
    for (const k of keys.query) {
      const posting = this.postings.get(k)
      if (!posting) continue
      if (posting.size > cap) {
        this.stats.hotKeysSkipped++
        continue
      }
      for (const other of posting) {
        if (this.seenAt[other] === epoch) continue
        this.seenAt[other] = epoch
        candidates.push(other)
      }
    }
    this.stats.candidates += candidates.length
    const found: Dependency[] = []
    const mine = new Map<number, Dependency[]>()
    for (const other of candidates) {
      const deps = detectFeatures(features, this.entries[other]!.features, this.rules)
      if (deps.length === 0) continue
      mine.set(other, deps)
      this.edges.get(other)!.set(slot, deps)
      for (const d of deps) found.push(d)
    }
    this.edges.set(slot, mine)
    for (const k of keys.post) {
      let posting = this.postings.get(k)
      if (!posting) this.postings.set(k, (posting = new Set()))
      posting.add(slot)
    }
    this.entries.push({ task, features, posted: keys.post })
    this.seenAt.push(0) // keeps the array packed (a holey array falls back to dictionary mode)
    this.slotOf.set(task.taskId, slot)
    return found.sort(byPair)
  }

  /** Removes a task and every dependency it takes part in; unknown ids are ignored. */
  removeTask(taskId: string): void {
    const slot = this.slotOf.get(taskId)
    if (slot === undefined) return
    for (const k of this.entries[slot]!.posted) {
      const posting = this.postings.get(k)!
      posting.delete(slot)
      if (posting.size === 0) this.postings.delete(k)
    }
    for (const other of this.edges.get(slot)!.keys()) this.edges.get(other)!.delete(slot)
    this.edges.delete(slot)
    this.entries[slot] = undefined
    this.slotOf.delete(taskId)
  }

  /**
   * Replaces the custom rules and re-detects everything (tasks are re-added in their original
   * order); returns the dependencies that hold now and did not before.
   */
  setRules(rules: readonly CustomRule[]): Dependency[] {
    const id = (d: Dependency) => `${d.task1}\u0000${d.task2}\u0000${d.relationship}`
    const before = new Set(this.all().map(id))
    const tasks = this.entries.filter((e): e is Entry => e !== undefined).map((e) => e.task)
    this.slotOf.clear()
    this.entries = []
    this.postings.clear()
    this.edges.clear()
    this.seenAt = []
    this.customRules = rules
    this.rules = compileRules(rules)
    for (const t of tasks) this.addTask(t)
    return this.all().filter((d) => !before.has(id(d)))
  }

  /** The custom rules in force. */
  get customRuleSet(): readonly CustomRule[] {
    return this.customRules
  }

  /** Every dependency held, sorted by task1, task2, then strongest first. */
  all(): Dependency[] {
    const out: Dependency[] = []
    for (const [slot, neighbours] of this.edges) {
      for (const [other, deps] of neighbours) if (slot < other) for (const d of deps) out.push(d)
    }
    return out.sort(byPair)
  }

  /** The dependencies a task takes part in, sorted like `all()`. */
  dependenciesOf(taskId: string): Dependency[] {
    const slot = this.slotOf.get(taskId)
    if (slot === undefined) return []
    const out: Dependency[] = []
    for (const deps of this.edges.get(slot)!.values()) for (const d of deps) out.push(d)
    return out.sort(byPair)
  }
}
