/**
 * Incremental dependency detection over an inverted index (DESIGN §2: never a scan of all
 * pairs). The index holds exactly `roomDependencies` of its tasks (room.ts, docs/adr/0016):
 * `addTask` looks only at tasks that share a key with the new task (keys.ts) and runs the
 * pairwise rules on them under the room's hot entities. A hot entity's keys are never looked
 * up — no built-in link can rest on them — so every lookup returns at most HOT_ENTITY_TASKS
 * tasks per entity.
 */
import { compileRules, type CompiledRule } from './compile'
import { byStrength, detectFeatures } from './detect'
import { taskFeatures, type TaskFeatures } from './features'
import { taskKeys } from './keys'
import type { HotEntity } from './match'
import { HOT_ENTITY_TASKS } from './room'
import type { CustomRule, Dependency, Task } from './types'

/** Options of a DependencyIndex. */
export interface DependencyIndexOptions {
  /**
   * Tasks an entity may be held by before it is hot (default HOT_ENTITY_TASKS). Peers must use
   * the default; other values exist so tests can reach hot entities with few tasks.
   */
  readonly hotAbove?: number
}

/** Work counters, for benchmarks and tests. */
export interface IndexStats {
  /** Pairs checked with the rules because they met through a key. */
  candidates: number
  /** Lookups not made because the key's entity is hot. */
  hotKeysSkipped: number
  /** Pairs re-checked because an entity they share turned hot or stopped being hot. */
  rechecked: number
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
  private readonly hotAbove: number
  private readonly slotOf = new Map<string, number>()
  private entries: (Entry | undefined)[] = []
  private readonly postings = new Map<string, Set<number>>()
  /** entity → the slots of the tasks that hold it; its size decides whether it is hot. */
  private readonly holders = new Map<string, Set<number>>()
  /** slot → neighbour slot → the pair's dependencies (the same array on both sides). */
  private readonly edges = new Map<number, Map<number, Dependency[]>>()
  /** Candidate de-duplication without a Set per call: seenAt[slot] === epoch. */
  private seenAt: number[] = []
  private epoch = 0
  /** Counters since construction. */
  readonly stats: IndexStats = { candidates: 0, hotKeysSkipped: 0, rechecked: 0 }
  private readonly hot: HotEntity = (e) => (this.holders.get(e)?.size ?? 0) > this.hotAbove

  constructor(customRules: readonly CustomRule[] = [], options: DependencyIndexOptions = {}) {
    this.customRules = customRules
    this.rules = compileRules(customRules)
    this.hotAbove = options.hotAbove ?? HOT_ENTITY_TASKS
  }

  /** Number of tasks held. */
  get size(): number {
    return this.slotOf.size
  }

  /**
   * Adds (or replaces) a task; returns its dependencies with the tasks already held. The task
   * can make an entity hot, which removes links between other tasks that rested on it only:
   * `all()` always reflects the whole room.
   */
  addTask(task: Task): Dependency[] {
    if (this.slotOf.has(task.taskId)) this.removeTask(task.taskId)
    const features = taskFeatures(task)
    const keys = taskKeys(this.rules, features)
    const slot = this.entries.length
    this.entries.push({ task, features, posted: keys.post })
    this.seenAt.push(0) // keeps the array packed (a holey array falls back to dictionary mode)
    this.slotOf.set(task.taskId, slot)
    const mine = new Map<number, Dependency[]>()
    this.edges.set(slot, mine)
    // Hotness is a property of the room with this task in it, so count it first.
    const heated: string[] = []
    for (const e of features.entities) {
      let held = this.holders.get(e)
      if (!held) this.holders.set(e, (held = new Set()))
      held.add(slot)
      if (held.size === this.hotAbove + 1) heated.push(e)
    }
    for (const e of heated) this.recheckHeated(e)

    const epoch = ++this.epoch
    const candidates: number[] = []
    const visit = (posting: Set<number> | undefined) => {
      if (!posting) return
      for (const other of posting) {
        if (this.seenAt[other] === epoch) continue
        this.seenAt[other] = epoch
        candidates.push(other)
      }
    }
    for (const k of keys.query) visit(this.postings.get(k))
    for (const [e, k] of keys.entityQuery) {
      if (this.hot(e)) this.stats.hotKeysSkipped++
      else visit(this.postings.get(k))
    }
    this.stats.candidates += candidates.length
    const found: Dependency[] = []
    for (const other of candidates) {
      const deps = detectFeatures(features, this.entries[other]!.features, this.rules, this.hot)
      if (deps.length === 0) continue
      mine.set(other, deps)
      this.edges.get(other)!.set(slot, deps)
      for (const d of deps) found.push(d)
    }
    for (const k of keys.post) {
      let posting = this.postings.get(k)
      if (!posting) this.postings.set(k, (posting = new Set()))
      posting.add(slot)
    }
    return found.sort(byPair)
  }

  /** Removes a task and every dependency it takes part in; unknown ids are ignored. */
  removeTask(taskId: string): void {
    const slot = this.slotOf.get(taskId)
    if (slot === undefined) return
    const entry = this.entries[slot]!
    for (const k of entry.posted) {
      const posting = this.postings.get(k)!
      posting.delete(slot)
      if (posting.size === 0) this.postings.delete(k)
    }
    for (const other of this.edges.get(slot)!.keys()) this.edges.get(other)!.delete(slot)
    this.edges.delete(slot)
    this.entries[slot] = undefined
    this.slotOf.delete(taskId)
    const cooled: string[] = []
    for (const e of entry.features.entities) {
      const held = this.holders.get(e)!
      held.delete(slot)
      if (held.size === 0) this.holders.delete(e)
      else if (held.size === this.hotAbove) cooled.push(e)
    }
    for (const e of cooled) this.recheckCooled(e)
  }

  /** Sets a pair's dependencies to what the rules give now. */
  private recheck(x: number, y: number): void {
    this.stats.rechecked++
    const deps = detectFeatures(this.entries[x]!.features, this.entries[y]!.features, this.rules, this.hot)
    if (deps.length === 0) {
      this.edges.get(x)!.delete(y)
      this.edges.get(y)!.delete(x)
    } else {
      this.edges.get(x)!.set(y, deps)
      this.edges.get(y)!.set(x, deps)
    }
  }

  /** `e` just turned hot: a link between two of its holders may have rested on it alone. */
  private recheckHeated(e: string): void {
    const held = this.holders.get(e)!
    for (const x of held) {
      for (const y of [...this.edges.get(x)!.keys()]) if (x < y && held.has(y)) this.recheck(x, y)
    }
  }

  /** `e` is no longer hot: any two of its (at most hotAbove) holders may now be linked through it. */
  private recheckCooled(e: string): void {
    const held = [...this.holders.get(e)!]
    for (let i = 0; i < held.length; i++) for (let j = i + 1; j < held.length; j++) this.recheck(held[i], held[j])
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
    this.holders.clear()
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
