/**
 * Remembers whether a derived payload passes its kind's schema. `due` is asked for what is due
 * after every change of the room, and most of what it returns is the same as on the previous
 * call (items that wait for their grace, sessions not yet opened), so the schema would check the
 * same payloads over and over. The verdict is keyed by the kind and the payload's content, read
 * afresh on every call: a payload changed after its first check is a new key, never a stale hit.
 */
import { payloadSchemas, type EventKind } from '../events/kinds'

/** Verdicts remembered at most; beyond, the oldest is forgotten first. */
export const MAX_VERDICTS = 4096

/** True if `payload` passes the schema of `kind`, checked without memory. */
export const schemaAccepts = (kind: EventKind, payload: unknown): boolean => payloadSchemas[kind].safeParse(payload).success

/**
 * The payload's content as a string that tells apart every two payloads a schema could judge
 * differently, or null when JSON would not (see `jsonFaithful`).
 */
export function contentKey(kind: EventKind, payload: unknown): string | null {
  return jsonFaithful(payload) ? `${kind}\n${JSON.stringify(payload)}` : null
}

/**
 * True if JSON writes `v` as a schema reads it: strings, booleans, finite numbers other than
 * -0, null, dense arrays and plain objects of those. `undefined`, NaN, ±Infinity, a `toJSON`
 * method or a class instance (whose fields, or inherited ones, JSON leaves out) make two
 * payloads a schema tells apart write alike. Properties count as JSON reads them (own,
 * enumerable), which is how `due` builds its payloads.
 */
function jsonFaithful(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0)
    case 'object': {
      if (v === null) return true
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonFaithful(v[i])) return false
        return Object.getPrototypeOf(v) === Array.prototype
      }
      const proto = Object.getPrototypeOf(v)
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) return false
      for (const k in v) if (!jsonFaithful((v as Record<string, unknown>)[k])) return false
      return true
    }
    default:
      return false
  }
}

/** A bounded memory of schema verdicts, kept across calls of `due`. */
export class PayloadVerdicts {
  private readonly verdicts = new Map<string, boolean>()

  constructor(private readonly max = MAX_VERDICTS) {}

  /** `schemaAccepts(kind, payload)`, remembered by content. */
  accepts(kind: EventKind, payload: unknown): boolean {
    const key = contentKey(kind, payload)
    if (key === null) return schemaAccepts(kind, payload)
    let ok = this.verdicts.get(key)
    if (ok === undefined) {
      ok = schemaAccepts(kind, payload)
      // A Map iterates in insertion order: its first key is the oldest verdict.
      if (this.verdicts.size >= this.max) this.verdicts.delete(this.verdicts.keys().next().value!)
      this.verdicts.set(key, ok)
    }
    return ok
  }

  /** Verdicts held. */
  get size(): number {
    return this.verdicts.size
  }
}
