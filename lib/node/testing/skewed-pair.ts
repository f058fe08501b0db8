/**
 * A relay and two agents on loopback for clock tests: a writer on the real clock and a reader
 * whose wall clock is the real one plus `offset()`, read at every call, so a test can step it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { startRelay, type Relay } from '../relay'
import { until } from './until'

export interface SkewedPair {
  relay: Relay
  writer: MeshAgent
  reader: MeshAgent
  stop(): Promise<void>
}

/** Starts the pair in a fresh directory named after `prefix`; both have joined when it resolves. */
export async function writerAndSkewedReader(prefix: string, offset: () => number): Promise<SkewedPair> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const relay = await startRelay({ dataDir: join(dir, 'relay'), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 500 })
  const invite = await relay.invite({ role: 'agent', maxUses: 2 })
  const writer = await startMeshAgent({ name: 'writer', relayUrl: relay.httpUrl, dataDir: join(dir, 'writer'), invite, syncIntervalMs: 500 })
  const reader = await startMeshAgent({ name: 'reader', relayUrl: relay.httpUrl, dataDir: join(dir, 'reader'), invite, syncIntervalMs: 500, now: () => Date.now() + offset() })
  await writer.join()
  await reader.join()
  await until('the reader to hear the writer', () => reader.peer.host.replica.state.members.has(writer.peer.signer.peerId as never), 30_000)
  return {
    relay,
    writer,
    reader,
    async stop() {
      for (const a of [reader, writer]) await a.stop().catch(() => {})
      await relay.stop().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
