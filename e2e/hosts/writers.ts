/**
 * Continuous writers: every agent claims a fresh task in a loop, every tab renames itself in a
 * loop, and each acknowledged event (an agent's claim result, a tab's stored event) is recorded
 * with the time it was acknowledged. A write that fails is counted, never retried silently.
 */
import type { AgentProc } from './procs'
import type { LabTab } from './tabs'

export interface Ack {
  id: string
  by: string
  at: number
  /** The claimed task (agents), so a tab's state can be checked for it. */
  taskId?: string
}

export interface WriterStats {
  acked: Ack[]
  failed: { by: string; at: number; message: string }[]
}

/** Runs the writers until `stop()`; `stats` fills as acknowledgements arrive. */
export class Writers {
  readonly stats: WriterStats = { acked: [], failed: [] }
  private running = true
  private readonly loops: Promise<void>[] = []

  constructor(agents: Map<string, AgentProc>, tabs: LabTab[], o: { agentEveryMs: number; tabEveryMs: number }) {
    for (const [name, agent] of agents) this.loops.push(this.agentLoop(name, agent, o.agentEveryMs))
    for (const tab of tabs) this.loops.push(this.tabLoop(tab, o.tabEveryMs))
  }

  private async agentLoop(name: string, agent: AgentProc, everyMs: number): Promise<void> {
    for (let n = 1; this.running; n++) {
      const taskId = `${name}-note-${n}`
      // Plain words in the agent's own repository: no rule links two of these tasks.
      const r = await agent.command('claim_task', { task: { taskId, repository: `lab/${name}`, title: `Lab note ${name} ${n}`, description: '' } })
      const claim = (r.result as { claim?: string } | undefined)?.claim
      if (r.event === 'result' && typeof claim === 'string') this.stats.acked.push({ id: claim, by: name, at: Date.now(), taskId })
      else if (agent.running) this.stats.failed.push({ by: name, at: Date.now(), message: String(r.message ?? JSON.stringify(r)) })
      await pause(everyMs)
    }
  }

  private async tabLoop(tab: LabTab, everyMs: number): Promise<void> {
    for (let n = 1; this.running; n++) {
      try {
        const id = await tab.write(`${tab.name} #${n}`)
        this.stats.acked.push({ id, by: tab.name, at: Date.now() })
      } catch (err) {
        this.stats.failed.push({ by: tab.name, at: Date.now(), message: (err as Error).message })
      }
      await pause(everyMs)
    }
  }

  /** Acknowledgements so far (a copy). */
  ackedBefore(t: number): Ack[] {
    return this.stats.acked.filter((a) => a.at <= t)
  }

  /** Acknowledgements by `by` since `t`. */
  countSince(by: string, t: number): number {
    return this.stats.acked.filter((a) => a.by === by && a.at > t).length
  }

  async stop(): Promise<void> {
    this.running = false
    await Promise.all(this.loops)
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
