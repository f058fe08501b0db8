/**
 * Keeping what did not change: React Flow compares nodes and edges by identity, so a node
 * object rebuilt with the same content is re-adopted, re-measured and re-rendered. Between two
 * changes of the room most of the graph is the same; these return the previous objects for
 * what is equal as data, and the previous array itself when nothing differs.
 */

const plain = (x: object): boolean => {
  const p = Object.getPrototypeOf(x)
  return p === Object.prototype || p === null
}

/** Equal as plain data: primitives by value, arrays and plain objects member by member. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b) || !plain(a) || !plain(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) if (!Object.hasOwn(b, k) || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  return true
}

/**
 * `next` with each item replaced by `prev`'s item of the same id when the two are equal as
 * data; `prev` itself when every item was kept, in the same order.
 */
export function keepEqual<T extends { id: string }>(prev: readonly T[], next: readonly T[]): readonly T[] {
  const before = new Map(prev.map((x) => [x.id, x]))
  let all = prev.length === next.length
  const out = next.map((x, i) => {
    const old = before.get(x.id)
    if (old !== undefined && sameData(old, x)) {
      if (prev[i] !== old) all = false
      return old
    }
    all = false
    return x
  })
  return all ? prev : out
}
