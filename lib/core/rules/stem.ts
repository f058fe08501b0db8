/**
 * Porter's suffix-stripping stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980,
 * https://tartarus.org/martin/PorterStemmer/def.txt). Pure and dependency-free so that every
 * peer stems identically: detection results are verified by recomputation (DESIGN §1), so
 * the stemmer is part of the protocol and must never change silently. See docs/adr/0010.
 */

const isConsonantAt = (w: string, i: number): boolean => {
  const c = w[i]
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false
  if (c === 'y') return i === 0 ? true : !isConsonantAt(w, i - 1)
  return true
}

/** m() of the paper: the number of VC sequences in the stem `w`. */
const measure = (w: string): number => {
  let m = 0
  let i = 0
  const n = w.length
  while (i < n && isConsonantAt(w, i)) i++
  while (i < n) {
    while (i < n && !isConsonantAt(w, i)) i++
    if (i >= n) break
    while (i < n && isConsonantAt(w, i)) i++
    m++
  }
  return m
}

const hasVowel = (w: string): boolean => {
  for (let i = 0; i < w.length; i++) if (!isConsonantAt(w, i)) return true
  return false
}

const endsDoubleConsonant = (w: string): boolean =>
  w.length >= 2 && w[w.length - 1] === w[w.length - 2] && isConsonantAt(w, w.length - 1)

/** *o of the paper: stem ends cvc, where the last c is not w, x or y. */
const endsCvc = (w: string): boolean => {
  const n = w.length
  if (n < 3) return false
  if (!isConsonantAt(w, n - 1) || isConsonantAt(w, n - 2) || !isConsonantAt(w, n - 3)) return false
  const last = w[n - 1]
  return last !== 'w' && last !== 'x' && last !== 'y'
}

/** Replaces the first matching suffix whose remaining stem has measure > `minM`. */
const replaceSuffix = (w: string, rules: readonly (readonly [string, string])[], minM: number): string => {
  for (const [suffix, replacement] of rules) {
    if (w.endsWith(suffix)) {
      const stem = w.slice(0, w.length - suffix.length)
      return measure(stem) > minM ? stem + replacement : w
    }
  }
  return w
}

const STEP2: readonly (readonly [string, string])[] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'],
  ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'],
  ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'],
  ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'],
  ['logi', 'log'],
]
const STEP3: readonly (readonly [string, string])[] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
]
const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou',
  'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
] as const

const step1a = (w: string): string => {
  if (w.endsWith('sses')) return w.slice(0, -2)
  if (w.endsWith('ies')) return w.slice(0, -2)
  if (w.endsWith('ss')) return w
  if (w.endsWith('s')) return w.slice(0, -1)
  return w
}

const step1b = (w: string): string => {
  if (w.endsWith('eed')) return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w
  let stem: string | undefined
  if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) stem = w.slice(0, -2)
  else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) stem = w.slice(0, -3)
  if (stem === undefined) return w
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e'
  if (endsDoubleConsonant(stem) && !/[lsz]$/.test(stem)) return stem.slice(0, -1)
  if (measure(stem) === 1 && endsCvc(stem)) return stem + 'e'
  return stem
}

const step1c = (w: string): string =>
  w.endsWith('y') && hasVowel(w.slice(0, -1)) ? w.slice(0, -1) + 'i' : w

const step4 = (w: string): string => {
  // Longest suffix first, as the paper's table is matched by longest match.
  let best = ''
  for (const s of STEP4) if (w.endsWith(s) && s.length > best.length) best = s
  if (!best) return w
  const stem = w.slice(0, w.length - best.length)
  if (measure(stem) <= 1) return w
  if (best === 'ion' && !/[st]$/.test(stem)) return w
  return stem
}

const step5 = (w: string): string => {
  let out = w
  if (out.endsWith('e')) {
    const stem = out.slice(0, -1)
    const m = measure(stem)
    if (m > 1 || (m === 1 && !endsCvc(stem))) out = stem
  }
  if (measure(out) > 1 && endsDoubleConsonant(out) && out.endsWith('l')) out = out.slice(0, -1)
  return out
}

/** Stems one lower-case ASCII word with Porter's algorithm; short or non-alphabetic words pass through. */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word
  let w = step1a(word)
  w = step1b(w)
  w = step1c(w)
  w = replaceSuffix(w, STEP2, 0)
  w = replaceSuffix(w, STEP3, 0)
  w = step4(w)
  return step5(w)
}
