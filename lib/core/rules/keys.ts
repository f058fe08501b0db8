/**
 * Inverted-index keys. A task is *posted* under keys that describe what it offers and
 * *queries* keys that describe what a partner must offer, per rule:
 *
 * - built-in rule R, entity e: a task with a topic term posts (R,T,e); with a consumer term
 *   (R,C,e). A topic task queries (R,T,e) and (R,C,e); a consumer-only task queries (R,T,e).
 *   So a candidate already shares an entity and passes R's gate: nearly every candidate is a hit.
 * - custom rule without `requires`: post and query (R,K) when a keyword is mentioned.
 * - custom rule with `requires`: an A-task posts (R,A) and queries (R,B), and vice versa.
 *
 * - artifacts: a task posts (ART,key,D) for what it defines and (ART,key,C) for what it
 *   consumes; a definer queries both, a consumer queries (ART,key,D) — two consumers never meet.
 *
 * Every pair a rule accepts (match.ts, artifacts.ts) meets through at least one key; a built-in
 * link needs a shared entity that is not hot (room.ts), so skipping hot entities' keys loses
 * nothing (docs/adr/0016).
 */
import type { CompiledRule } from './compile'
import type { TaskFeatures } from './features'
import { builtinSides, memoTerms } from './match'

/** The keys a task is posted under and the keys it looks its candidates up in. */
export interface TaskKeys {
  readonly post: readonly string[]
  /** Keys of custom rules and artifacts: always looked up. */
  readonly query: readonly string[]
  /** [entity, key] for built-in rules: looked up only while the entity is not hot in the room. */
  readonly entityQuery: readonly (readonly [string, string])[]
}

const SEP = '\u0000'
const key = (...parts: string[]): string => parts.join(SEP)

/** Computes a task's posting and query keys under the given rules. */
export function taskKeys(rules: readonly CompiledRule[], f: TaskFeatures): TaskKeys {
  const post = new Set<string>()
  const query = new Set<string>()
  const entityQuery = new Map<string, string>()
  for (const rule of rules) {
    if (rule.kind === 'builtin') {
      const { topic, consumer } = builtinSides(rule, f)
      if (topic.length === 0 && consumer.length === 0) continue
      for (const e of f.entities) {
        const asTopic = key(rule.name, 'T', e)
        const asConsumer = key(rule.name, 'C', e)
        entityQuery.set(asTopic, e)
        if (topic.length > 0) {
          post.add(asTopic)
          entityQuery.set(asConsumer, e)
        }
        if (consumer.length > 0) post.add(asConsumer)
      }
    } else if (rule.kind === 'any') {
      if (memoTerms(f, rule.keywords).length === 0) continue
      post.add(key(rule.name, 'K'))
      query.add(key(rule.name, 'K'))
    } else {
      if (memoTerms(f, rule.a).length > 0) {
        post.add(key(rule.name, 'A'))
        query.add(key(rule.name, 'B'))
      }
      if (memoTerms(f, rule.b).length > 0) {
        post.add(key(rule.name, 'B'))
        query.add(key(rule.name, 'A'))
      }
    }
  }
  for (const [k, a] of f.artifacts) {
    if (a.define) {
      post.add(key('ART', k, 'D'))
      query.add(key('ART', k, 'D'))
      query.add(key('ART', k, 'C'))
    }
    if (a.consume) {
      post.add(key('ART', k, 'C'))
      query.add(key('ART', k, 'D'))
    }
  }
  return { post: [...post], query: [...query], entityQuery: [...entityQuery].map(([k, e]) => [e, k] as const) }
}
