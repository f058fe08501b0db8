import { expect, test } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { startAgentProcess, startRelayProcess, type Proc } from './fixtures/processes'
import { relayPerTest } from './fixtures/relay-per-test'
import { E2E } from './fixtures/ports'

let agent: Proc | undefined

test.afterEach(async ({ browser }) => {
  // Tabs left open keep their libp2p nodes redialling through every later test of the worker.
  await Promise.all(browser.contexts().map((c) => c.close()))
  await agent?.kill()
  agent = undefined
})

const room = relayPerTest()

/** Longer than it takes a silent peer to be declared dead. */
const deadAfterMs = 8 * E2E.presenceIntervalMs + 1000

test('two tabs and an agent share one mesh; tabs keep talking over WebRTC without the relay; a newcomer joins after it returns', async ({ browser }) => {
  agent = startAgentProcess('agent-e2e', room.dir, room.relay.invites.agent)
  const a = new PeersPage(await (await browser.newContext()).newPage())
  const b = new PeersPage(await (await browser.newContext()).newPage())
  // Presence lists members only (a guest's beats are not counted), so the tabs join.
  await a.join(room.relay.invites.reviewer, 'reviewer')
  await b.join(room.relay.invites.reviewer, 'reviewer')
  const idA = await a.selfPeerId()
  const idB = await b.selfPeerId()
  expect(idA).not.toBe(idB)

  // Each tab sees the other over a direct WebRTC connection, and the agent through the relay.
  await a.expectPeer(idB, { status: 'alive', transport: 'webrtc', kind: 'human' })
  await b.expectPeer(idA, { status: 'alive', transport: 'webrtc', kind: 'human' })
  await a.expectPeerNamed('agent-e2e', { status: 'alive', kind: 'agent' })
  await b.expectPeerNamed('agent-e2e', { status: 'alive', kind: 'agent' })
  await a.expectPeerNamed('relay', { status: 'alive', kind: 'relay', transport: 'websocket' })

  // Heartbeats from all three keep arriving at both tabs.
  const agentId = (await a.rowNamed('agent-e2e').getAttribute('data-peer-id'))!
  const before = { ab: await a.beatsFrom(idB), ba: await b.beatsFrom(idA), aAgent: await a.beatsFrom(agentId), bAgent: await b.beatsFrom(agentId) }
  await a.page.waitForTimeout(4 * E2E.presenceIntervalMs)
  expect(await a.beatsFrom(idB)).toBeGreaterThan(before.ab)
  expect(await b.beatsFrom(idA)).toBeGreaterThan(before.ba)
  expect(await a.beatsFrom(agentId)).toBeGreaterThan(before.aAgent)
  expect(await b.beatsFrom(agentId)).toBeGreaterThan(before.bAgent)

  // The relay crashes. The agent, reachable only through it, falls silent; the tabs do not.
  await room.relay.kill('SIGKILL')
  await a.expectRelay(/connecting|disconnected/)
  await a.expectPeerNamed('agent-e2e', { status: /suspect|dead/ })
  await b.expectPeerNamed('agent-e2e', { status: /suspect|dead/ })
  const cut = { ab: await a.beatsFrom(idB), ba: await b.beatsFrom(idA) }
  await a.page.waitForTimeout(deadAfterMs)
  expect(await a.beatsFrom(idB)).toBeGreaterThan(cut.ab + 3)
  expect(await b.beatsFrom(idA)).toBeGreaterThan(cut.ba + 3)
  await a.expectPeer(idB, { status: 'alive', transport: 'webrtc' }, 1000)
  await b.expectPeer(idA, { status: 'alive', transport: 'webrtc' }, 1000)

  // The relay comes back (same identity and room from its data directory). The tabs reconnect
  // and re-reserve, so a third tab can join and reach both of them directly.
  room.relay = await startRelayProcess(room.dir)
  await a.expectRelay('connected')
  await b.expectRelay('connected')
  const c = new PeersPage(await (await browser.newContext()).newPage())
  await c.join(room.relay.invites.reviewer, 'reviewer')
  const idC = await c.selfPeerId()
  await c.expectPeer(idA, { status: 'alive', transport: 'webrtc' })
  await c.expectPeer(idB, { status: 'alive', transport: 'webrtc' })
  await a.expectPeer(idC, { status: 'alive', transport: 'webrtc' })
  await b.expectPeer(idC, { status: 'alive', transport: 'webrtc' })
  // The agent redials the relay by itself and is heard again.
  await c.expectPeerNamed('agent-e2e', { status: 'alive', kind: 'agent' })
})

test('a reload keeps the tab’s peer id; a second tab in the same browser is a peer of its own', async ({ browser }) => {
  const context = await browser.newContext()
  const first = new PeersPage(await context.newPage())
  await first.join(room.relay.invites.reviewer, 'reviewer')
  const id = await first.selfPeerId()

  const second = new PeersPage(await context.newPage())
  await second.join(room.relay.invites.reviewer, 'reviewer')
  const secondId = await second.selfPeerId()
  expect(secondId).not.toBe(id)

  await first.page.reload()
  await expect(first.page.getByTestId('self-peer-id')).toHaveText(id, { timeout: 30_000 })
  await second.page.reload()
  await expect(second.page.getByTestId('self-peer-id')).toHaveText(secondId, { timeout: 30_000 })
  await first.expectPeer(secondId, { status: 'alive', transport: 'webrtc' })
})
