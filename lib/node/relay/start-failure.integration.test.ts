/**
 * A relay that fails to start (its HTTP port in use) stops what it had started: its libp2p
 * node no longer listens, so the operator can start it again on the same ports at once.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { freePorts } from '../testing/relay-process'
import { startRelay, type Relay } from '.'

let dataDir = ''
let blocker: Server | undefined
let relay: Relay | undefined
afterEach(async () => {
  await relay?.stop()
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)))
  rmSync(dataDir, { recursive: true, force: true })
})

it('stops its node when its HTTP port is taken, so it starts again on the same ports', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'chorus-start-failure-'))
  const [port, httpPort] = await freePorts(2)
  blocker = createServer()
  await new Promise<void>((r) => blocker!.listen(httpPort, '127.0.0.1', r))
  await expect(startRelay({ dataDir, host: '127.0.0.1', port, httpPort, presenceIntervalMs: 1000 })).rejects.toThrow(/EADDRINUSE/)
  await new Promise((r) => blocker!.close(r))
  blocker = undefined
  relay = await startRelay({ dataDir, host: '127.0.0.1', port, httpPort, presenceIntervalMs: 1000 })
  expect(relay.node.getMultiaddrs().some((a) => a.toString().includes(`/tcp/${port}/`))).toBe(true)
})
