/**
 * Copy-on-write writes to the folded state with an undo journal (ADR 0062). The reducer
 * changes the state's Maps only through a `Writer`; while a checkpoint is open, the Writer
 * records the value each key had when the checkpoint was taken (first change only), and a
 * record (member, task, session) that a checkpoint may still need is copied before it is
 * changed, never edited in place. A checkpoint therefore costs O(what changed after it), and
 * rewinding to it undoes exactly those changes, keeping every Map's insertion order.
 */
import type { MemberState, RoomState, SessionState, TaskState } from './types'

/** How the reducer writes to a state's Maps and records. */
export interface Writer {
  /** `m.set(k, v)`; `v` is new and may be edited in place until the next checkpoint. */
  set<K, V>(m: Map<K, V>, k: K, v: V): void
  /** `m.delete(k)`. */
  delete<K, V>(m: Map<K, V>, k: K): boolean
  /** The record at `k`, safe to edit in place (a copy if a checkpoint still shares it). */
  own<K, V extends object>(m: Map<K, V>, k: K, copy: (v: V) => V): V | undefined
}

/** Edits in place: for a state no checkpoint shares. */
export const inPlace: Writer = {
  set: (m, k, v) => void m.set(k, v),
  delete: (m, k) => m.delete(k),
  own: (m, k) => m.get(k),
}

/** Copies of records deep enough that editing them leaves the original as it was. */
export const copyMember = (m: MemberState): MemberState => ({ ...m })
export const copyTask = (t: TaskState): TaskState => ({ ...t, claimants: [...t.claimants], claims: { ...t.claims } })
/**
 * Field by field rather than by spread: a replay copies a session for nearly every session
 * event it folds, and a literal of known shape is several times cheaper to build than a spread
 * of this many fields. The return type makes a field left out here a compile error.
 */
export const copySession = (x: SessionState): SessionState => ({
  id: x.id,
  type: x.type,
  tasks: x.tasks,
  rule: x.rule,
  status: x.status,
  participants: x.participants.slice(),
  relatedTasks: x.relatedTasks,
  openedAt: x.openedAt,
  openedBy: x.openedBy,
  openedEvent: x.openedEvent,
  activeSince: x.activeSince,
  activeBy: x.activeBy,
  activeEvent: x.activeEvent,
  witnessedAt: x.witnessedAt,
  witnessedBy: x.witnessedBy,
  messagesSinceActive: x.messagesSinceActive,
  lastActivity: x.lastActivity,
  plans: x.plans.slice(),
  messages: x.messages.slice(),
  approvals: x.approvals.slice(),
  escalation: x.escalation && { ...x.escalation },
  escalations: x.escalations.slice(),
  decisions: x.decisions.slice(),
  resolution: x.resolution,
  history: x.history.slice(),
  closedAt: x.closedAt,
  closeReason: x.closeReason,
})

/** A key absent when the checkpoint was taken. */
const ABSENT: unique symbol = Symbol('absent')

/**
 * How one Map looked when the checkpoint was taken: the old value of each key changed since
 * (ABSENT if it was added), or, once a key was deleted, every entry in order (re-adding a
 * deleted key would otherwise move it to the end).
 */
type MapUndo = Map<unknown, unknown> | Array<[unknown, unknown]>

/** The state's fields that are not Maps, as they were at the checkpoint. */
type Root = Pick<RoomState, 'name' | 'owner' | 'open' | 'config' | 'applied' | 'lastTime'>

/** What a checkpoint keeps: the root fields then, and the undo of every Map change since. */
export interface Undo {
  root: Root
  maps: Map<Map<unknown, unknown>, MapUndo>
}

/**
 * The Writer of a Fold. `begin(state)` opens a checkpoint: changes from then on are recorded in
 * the returned Undo until the next `begin`; `rollback` applies one.
 */
export class Journal implements Writer {
  private undo: Undo | null = null
  /** Records created since the open checkpoint: no checkpoint shares them. */
  private fresh = new WeakSet<object>()

  /** Opens a checkpoint at the state's current contents; returns its (growing) undo. */
  begin(s: RoomState): Undo {
    this.undo = { root: { name: s.name, owner: s.owner, open: s.open, config: s.config, applied: s.applied, lastTime: s.lastTime }, maps: new Map() }
    this.fresh = new WeakSet()
    return this.undo
  }

  /** Stops recording (no checkpoint is open: the state is edited in place). */
  close(): void {
    this.undo = null
    this.fresh = new WeakSet()
  }

  set<K, V>(m: Map<K, V>, k: K, v: V): void {
    this.remember(m as Map<unknown, unknown>, k)
    m.set(k, v)
    if (this.undo && typeof v === 'object' && v !== null) this.fresh.add(v)
  }

  delete<K, V>(m: Map<K, V>, k: K): boolean {
    if (!m.has(k)) return false
    if (this.undo) this.snapshot(m as Map<unknown, unknown>)
    return m.delete(k)
  }

  own<K, V extends object>(m: Map<K, V>, k: K, copy: (v: V) => V): V | undefined {
    const v = m.get(k)
    if (v === undefined || !this.undo || this.fresh.has(v)) return v
    const c = copy(v)
    this.set(m, k, c)
    return c
  }

  private remember(m: Map<unknown, unknown>, k: unknown): void {
    if (!this.undo) return
    let u = this.undo.maps.get(m)
    if (u === undefined) this.undo.maps.set(m, (u = new Map()))
    if (u instanceof Map && !u.has(k)) u.set(k, m.has(k) ? m.get(k) : ABSENT)
  }

  /** Switches `m`'s undo to the full entry list it had at the checkpoint. */
  private snapshot(m: Map<unknown, unknown>): void {
    const maps = (this.undo as Undo).maps
    const u = maps.get(m)
    if (Array.isArray(u)) return
    // Until now `m` only had keys added (at the end) or replaced (in place): undo those.
    const entries: Array<[unknown, unknown]> = []
    for (const [k, v] of m) {
      if (u === undefined || !u.has(k)) entries.push([k, v])
      else if (u.get(k) !== ABSENT) entries.push([k, u.get(k)])
    }
    maps.set(m, entries)
  }
}

/**
 * Makes `older` the undo of everything `newer` undid as well, so the checkpoint between them can
 * go: a Map that did not change between the two checkpoints looked at the older one as it looked
 * at the newer one, and a key `older` already remembers keeps `older`'s value. Both must be
 * closed (neither the open checkpoint's undo), `newer` the one taken right after `older`.
 */
export function absorb(older: Undo, newer: Undo): void {
  for (const [m, u] of newer.maps) {
    const o = older.maps.get(m)
    if (o === undefined) older.maps.set(m, u)
    else if (Array.isArray(o)) continue
    else if (Array.isArray(u)) older.maps.set(m, entriesBefore(u, o))
    else for (const [k, v] of u) if (!o.has(k)) o.set(k, v)
  }
}

/**
 * A Map's entry list at an older checkpoint, from its list at a newer one and the Map undo of
 * the changes between them: only adds (at the end) and in-place replacements happened then (a
 * delete would have made that undo a list), so dropping the added keys and restoring the
 * replaced values gives the older list in its order.
 */
function entriesBefore(newer: Array<[unknown, unknown]>, between: Map<unknown, unknown>): Array<[unknown, unknown]> {
  const out: Array<[unknown, unknown]> = []
  for (const [k, v] of newer) {
    if (!between.has(k)) out.push([k, v])
    else if (between.get(k) !== ABSENT) out.push([k, between.get(k)])
  }
  return out
}

/** Puts `s` back to how it was when `undo`'s checkpoint was taken, given the changes since are all in `undo`. */
export function rollback(s: RoomState, undo: Undo): void {
  for (const [m, u] of undo.maps) {
    if (Array.isArray(u)) {
      m.clear()
      for (const [k, v] of u) m.set(k, v)
    } else {
      for (const [k, v] of u) {
        if (v === ABSENT) m.delete(k)
        else m.set(k, v)
      }
    }
  }
  Object.assign(s, undo.root)
}
