/**
 * Keeps a DependencyIndex in step with a state's claimed tasks and custom rules, so calling
 * `due` after every change costs the index's incremental work, not a rebuild. Tasks are keyed
 * by their current claim event id, which changes exactly when the task's text can.
 */
import type { SessionType } from '../events/kinds/session'
import type { EventId, SessionId } from '../ids'
import { DependencyIndex } from '../rules'
import type { Dependency } from '../rules/types'
import type { RoomState } from '../state/types'
import { sessionIdOf } from './ids'
import { PayloadVerdicts } from './verdicts'

/** Session ids remembered at most (a room's sessions; beyond, the memo starts over). */
const MAX_IDS = 100_000

/** An incrementally maintained DependencyIndex over a state's claimed tasks. */
export class DependencyCache {
  private readonly index = new DependencyIndex()
  private readonly versions = new Map<string, EventId>()
  private rulesKey = ''
  private readonly ids = new Map<string, SessionId>()
  /** The schema's verdicts on due payloads: `due` checks every payload it returns on every call. */
  readonly verdicts = new PayloadVerdicts()

  /** `sessionIdOf`, remembered: `due` asks for the session of every dependency on every call. */
  sessionId(type: SessionType, tasks: readonly string[], rule: string): SessionId {
    const key = `${type}\n${rule}\n${tasks.join('\n')}`
    let id = this.ids.get(key)
    if (id === undefined) {
      if (this.ids.size >= MAX_IDS) this.ids.clear()
      this.ids.set(key, (id = sessionIdOf(type, tasks, rule)))
    }
    return id
  }

  /** Every dependency among the claimed tasks of `state`, under its custom rules. */
  dependencies(state: RoomState): Dependency[] {
    const rules = [...state.rules.values()].sort((a, b) => (a.rule.name < b.rule.name ? -1 : 1))
    const key = rules.map((r) => r.event).join(',')
    if (key !== this.rulesKey) {
      this.index.setRules(rules.map((r) => r.rule))
      this.rulesKey = key
    }
    const live = new Set<string>()
    for (const [taskId, t] of state.tasks) {
      if (t.status !== 'claimed') continue
      live.add(taskId)
      const version = t.claims[t.claimedBy]
      if (this.versions.get(taskId) === version) continue
      this.index.addTask(t.task)
      this.versions.set(taskId, version)
    }
    for (const taskId of [...this.versions.keys()]) {
      if (live.has(taskId)) continue
      this.index.removeTask(taskId)
      this.versions.delete(taskId)
    }
    return this.index.all()
  }
}
