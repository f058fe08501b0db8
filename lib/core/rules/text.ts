/**
 * Text → terms: the tokeniser and normaliser shared by the rules, the index and the planner.
 * A term is a stem ("prefer") or a phrase of up to MAX_NGRAM stems joined by one space
 * ("featur flag"). Whole words only: "capital" yields the term "capit", never "api".
 */
import { stem } from './stem'
import type { Task } from './types'

/** Phrases up to this many words are looked up in a set; longer ones are scanned. */
export const MAX_NGRAM = 3

/**
 * Words whose Porter stem would collide with an unrelated common word, or abbreviations
 * that should meet their long form ("auth" ↔ "authentication", "env var" ↔ "environment
 * variable"). Applied to the lower-cased word before stemming.
 */
const WORD_TO_STEM: Readonly<Record<string, string>> = {
  setting: 'setting', settings: 'setting', // Porter gives "set", the ubiquitous verb
  auth: 'authent', authn: 'authent', authenticator: 'authent',
  authz: 'authoriz', authorization: 'authoriz', authorisation: 'authoriz', authorize: 'authoriz',
  authorise: 'authoriz', authorized: 'authoriz', authorised: 'authoriz',
  db: 'databas', dbs: 'databas',
  config: 'configur', configs: 'configur', cfg: 'configur', conf: 'configur',
  env: 'environ', envs: 'environ', var: 'variabl', vars: 'variabl',
  signin: 'login', logon: 'login', logins: 'login',
  jwts: 'jwt', apis: 'api',
}

/** Splits camelCase and any non-alphanumeric run; returns lower-case words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
}

/**
 * camelCase words also kept whole ("TestFlight" → "testflight"), so that a keyword written
 * in one word still matches text that capitalises the parts, and vice versa.
 */
export function compounds(text: string): string[] {
  return (text.match(/[A-Za-z0-9]+/g) ?? [])
    .filter((w) => /[a-z0-9][A-Z]/.test(w))
    .map((w) => w.toLowerCase())
}

/** Stems are memoised: task vocabularies repeat heavily. Bounded so hostile input cannot grow it forever. */
const STEM_CACHE_LIMIT = 100_000
const stemCache = new Map<string, string>()

/** The normalised stem of one lower-case word. */
export function normalizeWord(word: string): string {
  let out = stemCache.get(word)
  if (out === undefined) {
    out = Object.hasOwn(WORD_TO_STEM, word) ? WORD_TO_STEM[word] : stem(word)
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear()
    stemCache.set(word, out)
  }
  return out
}

/** Normalises a keyword or phrase ("Feature-Flags") to its term ("featur flag"); '' if it has no words. */
export function normalizeTerm(phrase: string): string {
  return words(phrase).map(normalizeWord).join(' ')
}

/** What the rules know about one task's text. */
export interface TaskTerms {
  /** Every stem and every phrase of 2..MAX_NGRAM consecutive stems inside one text segment. */
  readonly terms: ReadonlySet<string>
  /** The subset of `terms` from the title and the keywords: what the task is about (entities come from here). */
  readonly headTerms: ReadonlySet<string>
  /** Stem sequences per segment (title, keywords, description), for phrases longer than MAX_NGRAM. */
  readonly segments: readonly (readonly string[])[]
  /** The lower-case words behind `segments`, for spelling terms in reasons (see `spell`). */
  readonly words: readonly (readonly string[])[]
  /** camelCase words kept whole, by their stem. */
  readonly compounds: ReadonlyMap<string, string>
}

/** Tokenises, normalises and stems a task's title, description and keywords. */
export function analyzeText(task: Pick<Task, 'title' | 'description' | 'keywords'>): TaskTerms {
  // Title and keywords first: they name what the task is about; the description only adds evidence.
  const texts = [task.title, ...(task.keywords ?? []), task.description ?? '']
  const headCount = 1 + (task.keywords?.length ?? 0)
  const terms = new Set<string>()
  const headTerms = new Set<string>()
  const compoundWords = new Map<string, string>()
  const segments: string[][] = []
  const spelledWords: string[][] = []
  texts.forEach((text, index) => {
    const ws = words(text)
    if (ws.length === 0) return
    const stems = ws.map(normalizeWord)
    segments.push(stems)
    spelledWords.push(ws)
    const add = (term: string) => {
      terms.add(term)
      if (index < headCount) headTerms.add(term)
    }
    for (const c of compounds(text)) {
      const term = normalizeWord(c)
      add(term)
      if (!compoundWords.has(term)) compoundWords.set(term, c)
    }
    for (let i = 0; i < stems.length; i++) {
      let term = stems[i]
      add(term)
      for (let j = i + 1; j < i + MAX_NGRAM && j < stems.length; j++) add((term += ' ' + stems[j]))
    }
  })
  return { terms, headTerms, segments, words: spelledWords, compounds: compoundWords }
}

/**
 * The first spelling of a term in the text ("feature flags" for "featur flag"), or the term
 * itself. Computed on demand rather than stored: only reasons need it, and a stored map
 * doubled the memory of a large index.
 */
export function spell(text: TaskTerms, term: string): string {
  const parts = term.split(' ')
  for (let s = 0; s < text.segments.length; s++) {
    const seg = text.segments[s]
    outer: for (let i = 0; i + parts.length <= seg.length; i++) {
      for (let j = 0; j < parts.length; j++) if (seg[i + j] !== parts[j]) continue outer
      return text.words[s].slice(i, i + parts.length).join(' ')
    }
  }
  return text.compounds.get(term) ?? term
}

const spaces = (s: string): number => {
  let n = 0
  for (let i = s.indexOf(' '); i !== -1; i = s.indexOf(' ', i + 1)) n++
  return n
}

/** True if the analysed text contains the normalised term as whole consecutive words. */
export function mentions(text: TaskTerms, term: string): boolean {
  if (term === '') return false
  if (text.terms.has(term)) return true
  if (spaces(term) < MAX_NGRAM) return false // every phrase this short is in `terms` already
  const parts = term.split(' ')
  return text.segments.some((seg) => {
    outer: for (let i = 0; i + parts.length <= seg.length; i++) {
      for (let j = 0; j < parts.length; j++) if (seg[i + j] !== parts[j]) continue outer
      return true
    }
    return false
  })
}
