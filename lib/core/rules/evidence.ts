/**
 * Confidence from evidence: a noisy-OR over independent pieces of evidence on top of a base
 * for "the rule's gate passed". Adding evidence can only raise it; the result is rounded to
 * two decimals so that every peer computes the identical number (docs/adr/0013).
 */

/**
 * Combines a base probability with evidence by noisy-OR. `evidence` is flat pairs
 * `[weight, count, weight, count, …]` (a packed number array: this runs once per detected
 * dependency, up to millions of times in a large room).
 */
export function noisyOr(base: number, evidence: readonly number[]): number {
  let miss = 1 - base
  for (let i = 0; i < evidence.length; i += 2) {
    for (let n = 0; n < evidence[i + 1]; n++) miss *= 1 - evidence[i]
  }
  const c = Math.round((1 - miss) * 100) / 100
  return Math.min(0.99, Math.max(0.01, c))
}

/** Weights, named so the ADR and the code say the same thing. */
export const WEIGHT = {
  builtinBase: 0.3,
  topicBothSides: 0.15,
  extraRuleTerm: 0.05,
  maxExtraRuleTerms: 3,
  phrase: 0.1,
  sharedStem: 0.2,
  sharedConcept: 0.12,
  maxSharedStems: 3,
  maxSharedConcepts: 2,
  roles: 0.15,
  customBase: 0.3,
  requiresBase: 0.35,
  sameKeyword: 0.15,
  bothDirections: 0.1,
  customSharedStem: 0.1,
  keywordMention: 0.05,
} as const
