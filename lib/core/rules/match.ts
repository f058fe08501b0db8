/**
 * Evaluates one compiled rule on one ordered pair of tasks. The gate of each rule is shared
 * with the index's candidate keys (keys.ts), so the index can only ever skip pairs that this
 * function would reject.
 */
import type { CompiledRule } from './compile'
import { noisyOr, WEIGHT } from './evidence'
import { sharedEntities, type TaskFeatures } from './features'
import { mentions, spell } from './text'
import { CONCEPT_OF, CONSUMER_VERBS, PRODUCER_VERBS } from './vocabulary'

/** A rule that fired on a pair. */
export interface RuleMatch {
  readonly relationship: string
  readonly confidence: number
  readonly reason: string
}

/** The terms of `terms` that the task mentions, in list order. */
export const matchedTerms = (f: TaskFeatures, terms: readonly string[]): string[] =>
  terms.filter((t) => mentions(f.text, t))

/** `matchedTerms` memoised on the task per term list (a compiled rule's lists are stable arrays). */
export function memoTerms(f: TaskFeatures, terms: readonly string[]): readonly string[] {
  let out = f.memo.get(terms) as readonly string[] | undefined
  if (!out) f.memo.set(terms, (out = matchedTerms(f, terms)))
  return out
}

/** A task's matches for one built-in rule. */
interface Sides {
  readonly topic: readonly string[]
  readonly consumer: readonly string[]
  /** topic then consumer terms */
  readonly all: readonly string[]
  /** some matched term is a phrase */
  readonly phrase: boolean
}

/** Which of a built-in rule's topic and consumer terms a task mentions (memoised on the task's features). */
export function builtinSides(rule: Extract<CompiledRule, { kind: 'builtin' }>, f: TaskFeatures): Sides {
  let sides = f.memo.get(rule) as Sides | undefined
  if (!sides) {
    const topic = matchedTerms(f, rule.topic)
    const consumer = matchedTerms(f, rule.consumer)
    const all = [...topic, ...consumer]
    sides = { topic, consumer, all, phrase: all.some((t) => t.includes(' ')) }
    f.memo.set(rule, sides)
  }
  return sides
}

/**
 * The entities a pair shares, computed at most once per pair and only if a rule's gate passes.
 * `specific`: some shared entity is not hot in the room (always true when the pair shares one
 * and no room is given; docs/adr/0016).
 */
export type SharedLazy = () => { stems: string[]; concepts: string[]; specific: boolean }

/** Whether an entity is shared by too many of the room's tasks to link a pair by itself (room.ts). */
export type HotEntity = (entity: string) => boolean

/** Spellings used in reasons, cached per task: the same few terms recur in every pair it joins. */
const SPELLINGS = {}
const spelled = (f: TaskFeatures, term: string): string => {
  let cache = f.memo.get(SPELLINGS) as Map<string, string> | undefined
  if (!cache) f.memo.set(SPELLINGS, (cache = new Map()))
  let out = cache.get(term)
  if (out === undefined) cache.set(term, (out = spell(f.text, term)))
  return out
}

const say = (f: TaskFeatures, terms: readonly string[]): string => terms.map((t) => spelled(f, t)).join(', ')

const conceptWord = (f: TaskFeatures, concept: string): string => {
  for (const t of f.text.headTerms) if (CONCEPT_OF.get(t) === concept) return spelled(f, t)
  return concept
}

const sharedText = (x: TaskFeatures, y: TaskFeatures, stems: string[], concepts: string[]): string => {
  const parts = [
    ...stems.map((s) => spelled(x, s)),
    ...concepts.map((c) => `${c.slice(1)} (${conceptWord(x, c)} ~ ${conceptWord(y, c)})`),
  ]
  return parts.length ? `; shared: ${parts.join(', ')}` : ''
}

const hasAny = (f: TaskFeatures, terms: readonly string[]) => terms.some((t) => mentions(f.text, t))

/** Bit 1: the task uses a producer verb; bit 2: a consumer verb. Memoised on the features. */
const ROLES = {}
const roles = (f: TaskFeatures): number => {
  let r = f.memo.get(ROLES) as number | undefined
  if (r === undefined) f.memo.set(ROLES, (r = (hasAny(f, PRODUCER_VERBS) ? 1 : 0) | (hasAny(f, CONSUMER_VERBS) ? 2 : 0)))
  return r
}

const rolesComplement = (x: TaskFeatures, y: TaskFeatures): boolean => {
  const [rx, ry] = [roles(x), roles(y)]
  return (rx & 1 && ry & 2) !== 0 || (ry & 1 && rx & 2) !== 0
}

function builtin(rule: Extract<CompiledRule, { kind: 'builtin' }>, x: TaskFeatures, y: TaskFeatures, shared: SharedLazy): RuleMatch | null {
  const sx = builtinSides(rule, x)
  const sy = builtinSides(rule, y)
  if (sx.all.length === 0 || sy.all.length === 0 || sx.topic.length + sy.topic.length === 0) return null
  const { stems, concepts, specific } = shared()
  if (!specific) return null
  let distinct = sx.all.length
  for (const t of sy.all) if (!sx.all.includes(t)) distinct++
  const confidence = noisyOr(WEIGHT.builtinBase, [
    WEIGHT.topicBothSides, sx.topic.length && sy.topic.length ? 1 : 0,
    WEIGHT.extraRuleTerm, Math.min(WEIGHT.maxExtraRuleTerms, Math.max(0, distinct - 2)),
    WEIGHT.phrase, sx.phrase || sy.phrase ? 1 : 0,
    WEIGHT.sharedStem, Math.min(WEIGHT.maxSharedStems, stems.length),
    WEIGHT.sharedConcept, Math.min(WEIGHT.maxSharedConcepts, concepts.length),
    WEIGHT.roles, rolesComplement(x, y) ? 1 : 0,
  ])
  return {
    relationship: rule.name,
    confidence,
    reason: `${x.taskId}: ${say(x, sx.all)}; ${y.taskId}: ${say(y, sy.all)}${sharedText(x, y, stems, concepts)}`,
  }
}

function anyKeyword(rule: Extract<CompiledRule, { kind: 'any' }>, x: TaskFeatures, y: TaskFeatures, shared: SharedLazy): RuleMatch | null {
  const mx = memoTerms(x, rule.keywords)
  const my = memoTerms(y, rule.keywords)
  if (mx.length === 0 || my.length === 0) return null
  const { stems } = shared()
  const distinct = new Set([...mx, ...my])
  const evidence = [
    WEIGHT.sameKeyword, mx.some((t) => my.includes(t)) ? 1 : 0,
    WEIGHT.extraRuleTerm, Math.min(WEIGHT.maxExtraRuleTerms, Math.max(0, distinct.size - 2)),
    WEIGHT.phrase, [...distinct].some((t) => t.includes(' ')) ? 1 : 0,
    WEIGHT.customSharedStem, Math.min(WEIGHT.maxSharedStems, stems.length),
  ]
  return {
    relationship: rule.name,
    confidence: noisyOr(WEIGHT.customBase, evidence),
    reason: `${x.taskId}: ${say(x, mx)}; ${y.taskId}: ${say(y, my)}${sharedText(x, y, stems, [])}`,
  }
}

function requires(rule: Extract<CompiledRule, { kind: 'requires' }>, x: TaskFeatures, y: TaskFeatures, shared: SharedLazy): RuleMatch | null {
  const [ax, bx, ay, by] = [memoTerms(x, rule.a), memoTerms(x, rule.b), memoTerms(y, rule.a), memoTerms(y, rule.b)]
  const forward = ax.length > 0 && by.length > 0
  const backward = ay.length > 0 && bx.length > 0
  if (!forward && !backward) return null
  const { stems } = shared()
  const [tx, ty] = forward ? [ax, by] : [bx, ay]
  const evidence = [
    WEIGHT.bothDirections, forward && backward ? 1 : 0,
    WEIGHT.phrase, [...tx, ...ty].some((t) => t.includes(' ')) ? 1 : 0,
    WEIGHT.customSharedStem, Math.min(WEIGHT.maxSharedStems, stems.length),
    WEIGHT.keywordMention, memoTerms(x, rule.keywords).length > 0 ? 1 : 0,
    WEIGHT.keywordMention, memoTerms(y, rule.keywords).length > 0 ? 1 : 0,
  ]
  return {
    relationship: rule.name,
    confidence: noisyOr(WEIGHT.requiresBase, evidence),
    reason: `${x.taskId}: ${say(x, tx)}; ${y.taskId}: ${say(y, ty)}${sharedText(x, y, stems, [])}`,
  }
}

/** Evaluates `rule` on the pair (x, y), x being task1. Null when the rule does not fire. */
export function evaluateRule(rule: CompiledRule, x: TaskFeatures, y: TaskFeatures, shared?: SharedLazy): RuleMatch | null {
  const lazy = shared ?? sharedOnce(x, y)
  switch (rule.kind) {
    case 'builtin':
      return builtin(rule, x, y, lazy)
    case 'any':
      return anyKeyword(rule, x, y, lazy)
    case 'requires':
      return requires(rule, x, y, lazy)
  }
}

/** A SharedLazy for one pair; with `hot`, an entity hot in the room does not make the pair specific. */
export function sharedOnce(x: TaskFeatures, y: TaskFeatures, hot?: HotEntity): SharedLazy {
  let value: ReturnType<SharedLazy> | undefined
  return () => (value ??= withSpecific(x, y, sharedEntities(x, y), hot))
}

function withSpecific(x: TaskFeatures, y: TaskFeatures, s: { stems: string[]; concepts: string[] }, hot?: HotEntity): ReturnType<SharedLazy> {
  if (s.stems.length + s.concepts.length === 0) return { ...s, specific: false }
  if (!hot) return { ...s, specific: true }
  // Every shared entity counts here, also a concept that a shared stem already names.
  const [small, large] = x.entities.size <= y.entities.size ? [x, y] : [y, x]
  for (const e of small.entities) if (large.entities.has(e) && !hot(e)) return { ...s, specific: true }
  return { ...s, specific: false }
}
