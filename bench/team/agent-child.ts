/**
 * One agent of the realistic room, in its own process (as `chorus-mesh agent` runs): joins
 * with the invite it is sent, claims its tasks on `go`, answers plans by its policy, and
 * reports over IPC every 250 ms what its replica holds, whether the workload has settled, and
 * how many fold replays late events cost it since `go`. With CHORUS_FOLD_TRACE=<file> and
 * CHORUS_FOLD_TRACE_AGENT=<its name> it writes its fold trace there on exit (fold-trace.ts).
 */
import '../../lib/node/polyfills'
import { writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { makePolicy } from '../../lib/node/agent/policy'
import { respondWith } from '../../lib/node/agent/responder'
import { ChorusAgent } from '../../lib/node/agent/sdk'
import type { SyncOfferStats } from '../../lib/net/room-peer'
import { census, type Census } from './census'
import { recordFoldTrace } from './fold-trace'
import { unsettled } from './settled'
import type { WorkloadAgent } from './workload'

/** What the parent sends first. */
export interface AgentChildConfig {
  relayUrl: string
  invite: string
  dataDir: string
  agent: WorkloadAgent
  /** Every task of the workload (all agents'), for the settled check. */
  workload: string[]
}

/** What the child reports. It asks for its config with `ready` once it listens (an IPC message sent before that is lost). */
export type AgentChildReport =
  | { type: 'ready' }
  | { type: 'joined'; peerId: string }
  | { type: 'claimed'; at: number }
  | { type: 'state'; events: number; unsettled: string | null; lagMaxMs: number; errors: number; syncSent: number; offers: SyncOfferStats; rewinds: number }
  | { type: 'census'; census: Census }
  | { type: 'failed'; message: string }

const send = (r: AgentChildReport) => process.send?.(r)
// The parent talks to this process only over IPC: keep the channel (a preloaded monitor may have unref'd it) until told to stop.
process.channel?.ref()

process.once('message', (config: AgentChildConfig) => {
  void run(config).catch((err: Error) => {
    send({ type: 'failed', message: err.stack ?? err.message })
    process.exit(1)
  })
})
send({ type: 'ready' })

async function run(c: AgentChildConfig): Promise<void> {
  const lag = monitorEventLoopDelay({ resolution: 10 })
  lag.enable()
  let errors = 0
  const agent = await ChorusAgent.join({ name: c.agent.name, relayUrl: c.relayUrl, dataDir: c.dataDir, invite: c.invite, onError: () => errors++ })
  respondWith(agent, makePolicy(c.agent.policy), { onError: () => errors++ })
  send({ type: 'joined', peerId: agent.peerId })
  const tasks = new Set(c.workload)
  const peer = agent.mesh.peer
  const replica = peer.host.replica
  const traceFile = process.env.CHORUS_FOLD_TRACE
  if (traceFile && c.agent.name === process.env.CHORUS_FOLD_TRACE_AGENT) {
    const trace = recordFoldTrace(replica)
    process.once('exit', () => writeFileSync(traceFile, trace()))
  }
  // The settled check reads the room only after it changed, and not while the fold owes a
  // replay that the agent's own next duty run will settle anyway (at most a second later): a
  // read of its own would run that replay, a cost of the bench's, not of the agent's.
  let changes = 0
  peer.host.subscribeFolded(() => changes++)
  let checked = -1
  let verdict: string | null = 'not checked yet'
  let deferred = 0
  let rewindsAtGo: number | null = null
  // What is due moves with the clock as well (a grace that runs out), so an unchanged room is
  // read again every fourth report too.
  let unread = 0
  const report = () => {
    if (changes !== checked || (++unread >= 4 && !replica.replayOwed)) {
      if (!replica.replayOwed || ++deferred >= 4) {
        deferred = 0
        unread = 0
        checked = changes
        verdict = unsettled(replica.state, () => replica.due(), tasks)
      } else verdict ??= 'a change not read yet'
    }
    // Read only with no replay owed, so this never runs a replay itself.
    const rewinds = rewindsAtGo == null || replica.replayOwed ? 0 : replica.rewindCount - rewindsAtGo
    send({ type: 'state', events: replica.log.size, unsettled: verdict, lagMaxMs: lag.max / 1e6, errors, syncSent: peer.sync.stats.eventsSent, offers: { ...peer.syncOffers }, rewinds })
  }
  const timer = setInterval(report, 250)
  process.on('message', (m: { type: string }) => {
    if (m.type === 'go') {
      rewindsAtGo = replica.rewindCount
      void (async () => {
        for (const t of c.agent.tasks) await agent.claim(t)
        send({ type: 'claimed', at: Date.now() })
      })().catch((err: Error) => send({ type: 'failed', message: err.message }))
    } else if (m.type === 'census') {
      send({ type: 'census', census: census(replica.log.all(), replica.state, tasks) })
    } else if (m.type === 'stop') {
      clearInterval(timer)
      void agent.stop().finally(() => process.exit(0))
    }
  })
}
