/**
 * Catching up on a busy author under the per-author budget, over a real relay: an agent wrote
 * 500 events within the last minute (fresh, so each counts against its budget) and reaches the
 * relay in one sync round. The relay takes one burst of them and defers the rest; it must then
 * come back for them as the budget refills, not wait for its next periodic round — a tab
 * opened during a busy run would otherwise see a busy agent's last minute trickle in a burst
 * per sync interval.
 */
import { describe, expect, it } from 'vitest'
import { startMeshAgent } from '../agent/mesh-agent'
import { startRelay } from '.'
import { until } from '../testing/until'
import { scratch } from '../testing/scratch'

const { running, tmp } = scratch('catch-up')
/** Longer than the test gives the catch-up: only rounds asked for by the budget can bring it in time. */
const RARE_ROUNDS_MS = 60_000

describe('catching up a busy author under its budget', () => {
  it('brings all 500 fresh events of one author to the relay at the budget rate, deferring the overflow to rounds it asks for', async () => {
    const relay = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: RARE_ROUNDS_MS })
    running.push(relay)
    const invite = await relay.invite({ role: 'agent' })
    const agent = await startMeshAgent({ name: 'busy-agent', relayUrl: relay.httpUrl, dataDir: tmp(), invite, syncIntervalMs: RARE_ROUNDS_MS, synchronous: 'NORMAL' })
    running.push(agent)
    expect(await agent.join()).toMatchObject({ status: 'member' })

    // Written straight into the agent's replica (no gossip), as a peer that was offline holds them.
    const { peer } = agent
    const before = relay.peer.host.replica.log.size
    for (let i = 0; i < 500; i++) {
      await peer.host.replica.author(peer.signer, 'task.claimed', { taskId: `busy-${i}`, projectId: 'p', repository: `repo-${i % 5}`, title: `Busy task ${i}`, description: '' })
    }
    await peer.host.ingest([])
    const t0 = Date.now()
    // One round that carries the events: a round the agent's connection opened may still be
    // running, with the few events authored before it, and a round asked for meanwhile does not
    // run. Once a round has deferred some, only the relay's own asks may bring the rest.
    await until('a round to carry more than the budget to the relay', async () => {
      await peer.sync.syncWithAll()
      return relay.peer.syncBudget.deferred > 0
    }, 20_000)
    await until('the relay to hold all 500', () => relay.peer.host.replica.state.tasks.size >= 500, 40_000).catch((err: Error) => {
      const stats = { relayHolds: relay.peer.host.replica.state.tasks.size, relayBudget: relay.peer.syncBudget, relaySync: relay.peer.sync.stats, agentSync: peer.sync.stats }
      throw new Error(`${err.message}: ${JSON.stringify(stats)}`)
    })
    const took = Date.now() - t0
    console.log(`catch-up of 500 fresh events of one author: ${took} ms, ${relay.peer.syncBudget.deferred} deferred on the way`)
    // The budget really held some back (the test would prove nothing otherwise), and none is lost.
    expect(relay.peer.syncBudget.deferred).toBeGreaterThan(0)
    expect(relay.peer.host.replica.log.size - before).toBeGreaterThanOrEqual(500)
  }, 120_000)
})
