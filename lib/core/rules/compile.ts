/**
 * Built-in and custom rules compiled to one normalised form, memoised per rules array so
 * repeated `detectPair` calls with the same array do not re-normalise.
 */
import { normalizeTerm } from './text'
import { BUILTIN_RELATIONSHIPS, type CustomRule } from './types'
import { BUILTIN_RULES } from './vocabulary'

/** A rule ready to evaluate; every term is already normalised. */
export type CompiledRule =
  | { readonly kind: 'builtin'; readonly name: string; readonly topic: readonly string[]; readonly consumer: readonly string[] }
  | { readonly kind: 'any'; readonly name: string; readonly keywords: readonly string[] }
  | {
      readonly kind: 'requires'
      readonly name: string
      readonly a: readonly string[]
      readonly b: readonly string[]
      readonly keywords: readonly string[]
    }

const BUILTINS: readonly CompiledRule[] = BUILTIN_RULES.map((r) => ({
  kind: 'builtin' as const,
  name: r.name,
  topic: r.topic,
  consumer: r.consumer,
}))

const normalizeList = (list: readonly string[]): string[] => [...new Set(list.map(normalizeTerm).filter(Boolean))].sort()

const cache = new WeakMap<readonly CustomRule[], readonly CompiledRule[]>()

/**
 * The built-ins followed by the custom rules. A custom rule named like a built-in or like an
 * earlier custom rule is ignored, so a relationship name always means one rule.
 */
export function compileRules(custom: readonly CustomRule[] = []): readonly CompiledRule[] {
  const hit = cache.get(custom)
  if (hit) return hit
  const names = new Set<string>(BUILTIN_RELATIONSHIPS)
  const out: CompiledRule[] = [...BUILTINS]
  for (const rule of custom) {
    if (names.has(rule.name)) continue
    names.add(rule.name)
    const keywords = normalizeList(rule.keywords)
    if (rule.requires) {
      out.push({ kind: 'requires', name: rule.name, a: normalizeList(rule.requires[0]), b: normalizeList(rule.requires[1]), keywords })
    } else {
      out.push({ kind: 'any', name: rule.name, keywords })
    }
  }
  cache.set(custom, out)
  return out
}
