/**
 * Which task of a pair goes first, decided from the tasks' text: per relationship, words that
 * mark the producing side (a definition, a schema, a flag, an auth provider) and words that
 * mark the consuming side (an implementation, a service, a check, a middleware).
 */
import { analyzeText, normalizeTerm, spell, type TaskTerms } from '../rules/text'
import type { Task } from '../rules/types'

interface RoleVocabulary {
  /** "definition before implementation" … used in the plan's reasons. */
  readonly principle: string
  readonly producer: readonly string[]
  readonly consumer: readonly string[]
}

const raw = (principle: string, producer: string[], consumer: string[]): RoleVocabulary => ({
  principle,
  producer: producer.map(normalizeTerm),
  consumer: consumer.map(normalizeTerm),
})

const GENERIC = raw(
  'producer before consumer',
  ['define', 'design', 'specify', 'add', 'create', 'introduce', 'provide', 'expose', 'publish'],
  ['implement', 'use', 'consume', 'call', 'integrate', 'update', 'adopt', 'check', 'read'],
)

const BY_RELATIONSHIP: Readonly<Record<string, RoleVocabulary>> = {
  API_Contract: raw(
    'definition before implementation',
    ['define', 'design', 'specify', 'spec', 'contract', 'openapi', 'swagger', 'document', 'api', 'expose', 'publish'],
    ['implement', 'page', 'client', 'ui', 'frontend', 'call', 'consume', 'integrate', 'screen', 'endpoint', 'form'],
  ),
  Database_Schema: raw(
    'schema before consumer',
    ['table', 'schema', 'migration', 'column', 'database', 'add', 'create', 'define', 'index'],
    ['service', 'query', 'read', 'write', 'update', 'use', 'api', 'endpoint', 'report', 'backend', 'consume'],
  ),
  Configuration_Dependency: raw(
    'flag before checks',
    ['add', 'define', 'introduce', 'create', 'configuration', 'setting', 'default', 'register'],
    ['check', 'read', 'gate', 'implement', 'backend', 'frontend', 'use', 'consume', 'enforce', 'respect'],
  ),
  Security_Compliance: raw(
    'auth provider before middleware',
    ['jwt', 'token', 'oauth', 'provider', 'identity', 'issue', 'sign', 'key', 'secret', 'certificate', 'sso',
      'saml', 'refresh', 'policy'],
    ['middleware', 'guard', 'enforce', 'verify', 'validate', 'check', 'protect', 'gateway', 'route', 'page'],
  ),
}

/** The ordering principle and vocabulary for a relationship (a generic one for custom rules). */
export function roleVocabulary(relationship: string | undefined): RoleVocabulary {
  return relationship !== undefined && Object.hasOwn(BY_RELATIONSHIP, relationship) ? BY_RELATIONSHIP[relationship] : GENERIC
}

/** The producer-side and consumer-side words a task uses, and its score (producer positive). */
export interface RoleScore {
  readonly score: number
  readonly producerWords: readonly string[]
  readonly consumerWords: readonly string[]
}

const LEAD_VERB_WEIGHT = 2

const surfaceOf = (text: TaskTerms, terms: readonly string[]) =>
  terms.filter((t) => text.terms.has(t)).map((t) => spell(text, t))

/**
 * Scores how much a task reads as the producing side: one point per producer word, minus one
 * per consumer word, and the title's first word (the verb, in task titles) counts extra.
 */
export function roleScore(task: Task, relationship: string | undefined): RoleScore {
  const vocab = roleVocabulary(relationship)
  const text = analyzeText(task)
  const producerWords = surfaceOf(text, vocab.producer)
  const consumerWords = surfaceOf(text, vocab.consumer)
  const lead = normalizeTerm(task.title.trim().split(/\s+/)[0] ?? '')
  const leadScore = vocab.producer.includes(lead) ? LEAD_VERB_WEIGHT : vocab.consumer.includes(lead) ? -LEAD_VERB_WEIGHT : 0
  return { score: producerWords.length - consumerWords.length + leadScore, producerWords, consumerWords }
}
