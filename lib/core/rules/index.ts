/**
 * Dependency rules (DESIGN §2): the public surface. Pairwise `detectPair` verifies a gossiped
 * `dependency.detected`; in a room, `roomDependencies` is the reference (hot entities link
 * nothing by themselves) and `DependencyIndex` computes exactly it, incrementally, without
 * scanning all pairs.
 */
export { detectPair, normalizeRepository, sameRepository } from './detect'
export { DependencyIndex, type DependencyIndexOptions, type IndexStats } from './dependency-index'
export { HOT_ENTITY_TASKS, roomDependencies } from './room'
export { analyzeText, normalizeTerm, words, type TaskTerms } from './text'
export { stem } from './stem'
export { BUILTIN_RULES, type BuiltinVocabulary } from './vocabulary'
export * from './types'
