/**
 * Dependency rules (DESIGN §2): the public surface. Pairwise `detectPair` is the reference
 * used to verify gossiped `dependency.detected` events; `DependencyIndex` finds the same
 * dependencies incrementally without scanning all pairs.
 */
export { detectPair, normalizeRepository, sameRepository } from './detect'
export { DependencyIndex, DEFAULT_EXACT_BELOW, DEFAULT_MAX_POSTINGS, type DependencyIndexOptions, type IndexStats } from './dependency-index'
export { analyzeText, normalizeTerm, words, type TaskTerms } from './text'
export { stem } from './stem'
export { BUILTIN_RULES, type BuiltinVocabulary } from './vocabulary'
export * from './types'
