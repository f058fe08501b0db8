/**
 * One peer of the flood benchmark in its own process (bench/flood-mesh.ts forks it): a relay
 * or a mesh agent, as deployed, so its socket reads wait for its own event loop only. It
 * reports every event it stores with the wall time, and answers the parent's requests over the
 * IPC channel. It stops when told, when the parent goes away, or after its time limit.
 * Usage (forked): flood-peer.ts relay <dir> <syncMs> | agent <dir> <syncMs> <name> <relayUrl> <invite>
 */
import '../lib/node/polyfills'
import { join } from 'node:path'
import { genesisArrived } from '../lib/net/membership'
import type { RoomPeer } from '../lib/net/room-peer'
import { startMeshAgent, type MeshAgent } from '../lib/node/agent/mesh-agent'
import { startRelay, type Relay } from '../lib/node/relay'
import { busiestCited } from './flood-mesh'
import { OutsideStores, reportStores } from './flood-stores'
import { wallNow } from './mesh'
import { cpuMs } from './room'

/** What the parent asks of a peer. */
export type PeerAsk = { op: 'author'; taskId: string; mesh: string[] } | { op: 'invite'; maxUses: number } | { op: 'stats' } | { op: 'watch'; authors: string[] } | { op: 'stop' }
/** A request as sent; `n` numbers the answer. */
export type PeerRequest = PeerAsk & { n: number }

/** What a peer reports of itself (`stats`). */
export interface PeerStats {
  members: number
  received: number
  limited: string
  deferred: number
  pulls: number
  logSize: number
  logStats: unknown
  /** This peer's id. */
  self: string
  cpuMs: number
  perSec: number
  burst: number
  /** When events of authors outside the mesh were stored (wall ms; flood-stores.ts OutsideStores). */
  outside: number[]
}

/** The longest a peer lives: a parent that died without a word never leaves one behind for long. */
const LIFETIME_MS = 10 * 60_000

const send = (m: unknown): void => {
  if (process.connected) process.send?.(m)
}

async function main(): Promise<void> {
  const [role, dir, syncMs, name, relayUrl, invite] = process.argv.slice(2)
  const syncIntervalMs = Number(syncMs)
  let relay: Relay | undefined
  let agent: MeshAgent | undefined
  let stopping: Promise<void> | undefined
  const stop = (code: number) => {
    stopping ??= (async () => {
      await agent?.stop().catch(() => {})
      await relay?.stop().catch(() => {})
      process.exit(code)
    })()
    return stopping
  }
  setTimeout(() => void stop(2), LIFETIME_MS).unref()
  process.on('disconnect', () => void stop(0))
  if (role === 'relay') {
    relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 5000, syncIntervalMs })
  } else {
    agent = await startMeshAgent({ name, relayUrl, dataDir: dir, invite, syncIntervalMs, synchronous: 'NORMAL' })
    await genesisArrived(agent.peer, 120_000)
    await agent.join()
  }
  const peer = (relay?.peer ?? agent?.peer) as RoomPeer
  let watched: readonly string[] = []
  const outside = new OutsideStores()
  reportStores(peer, () => watched, (stored, t) => send({ stored, t }), outside)
  process.on('message', (req: PeerRequest) => {
    void (async () => {
      try {
        if (req.op === 'stop') return void (await stop(0))
        if (req.op === 'watch') return send({ n: req.n, watching: (watched = req.authors).length })
        if (req.op === 'invite') return send({ n: req.n, invite: await (relay as Relay).invite({ role: 'agent', maxUses: req.maxUses }) })
        if (req.op === 'author') {
          const t0 = wallNow()
          const enc = await peer.author('task.claimed', { taskId: req.taskId, projectId: 'p', repository: 'github.com/acme/honest', title: `Honest work ${req.taskId}`, description: '' })
          return send({ n: req.n, id: enc.id, t0, authoredMs: wallNow() - t0, cites: busiestCited(peer.host.replica.log, enc.event.deps, req.mesh), deps: enc.event.deps })
        }
        const stats: PeerStats = {
          members: peer.host.replica.state.members.size,
          received: peer.gossip.received,
          limited: `${peer.gossip.forwarderLimited}/${peer.gossip.authorLimited}`,
          deferred: peer.syncBudget.deferred,
          pulls: peer.syncBudget.pulls,
          logSize: peer.host.replica.log.size,
          logStats: peer.host.replica.log.stats(),
          self: peer.signer.peerId,
          cpuMs: cpuMs(),
          perSec: peer.authors.limits.perSec,
          burst: peer.authors.limits.burst,
          outside: outside.times,
        }
        send({ n: req.n, stats })
      } catch (err) {
        send({ n: req.n, error: (err as Error).message })
      }
    })()
  })
  send({ ready: true, httpUrl: relay?.httpUrl })
}

main().catch((err: Error) => {
  send({ failed: err.message })
  process.exit(1)
})
