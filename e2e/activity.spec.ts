import { expect, test } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { E2E } from './fixtures/ports'
import { relayPerTest } from './fixtures/relay-per-test'
import { seedAgent, type SeedAgent } from './fixtures/seed'

let agent: SeedAgent | undefined

test.afterEach(async () => {
  await agent?.agent.stop().catch(() => undefined)
  agent = undefined
})

const room = relayPerTest()

const relayEvents = async () => (await (await fetch(`http://127.0.0.1:${E2E.relayHttpPort}/api/room`)).json()).events as number

test("an agent's events appear in the activity feed, come back on a reload with no peer, and a guest cannot post", async ({ browser }) => {
  agent = await seedAgent('feed-agent', room.dir, room.relay.invites.agent)
  const page = await (await browser.newContext()).newPage()
  await page.goto('/')
  await agent.author('task.claimed', { taskId: 'auth-api', projectId: 'p', repository: 'api', title: 'Define user authentication API', description: '' })
  const claimed = page.getByTestId('activity-item').filter({ hasText: 'claimed “Define user authentication API” in api' })
  await expect(claimed).toBeVisible({ timeout: 20_000 })
  await expect(claimed).toContainText('feed-agent')

  // This page has no invite in a closed room: whatever it signs, the room refuses.
  const before = await relayEvents()
  const refusal = await page.evaluate(async () => {
    const mesh = window.chorus?.store.getState().mesh
    if (mesh == null) return 'no mesh'
    return mesh.author('task.claimed', { taskId: 'sneaky', projectId: 'p', repository: 'web', title: 'Guest post', description: '' }).then(
      () => 'accepted',
      (err: Error) => err.message,
    )
  })
  expect(refusal).toMatch(/not_member/)
  await page.waitForTimeout(1500)
  expect(await relayEvents()).toBe(before)

  // Every peer gone: the reload still shows the feed, from IndexedDB.
  await agent.agent.stop()
  agent = undefined
  await room.relay.kill('SIGKILL')
  await page.reload()
  await expect(page.getByTestId('activity-item').filter({ hasText: 'claimed “Define user authentication API” in api' })).toBeVisible({ timeout: 15_000 })
})

test('a tab opened after 1,000 events shows all of them', async ({ browser }) => {
  agent = await seedAgent('bulk-agent', room.dir, room.relay.invites.agent)
  const { peer } = agent.agent
  for (let i = 0; i < 1000; i++) {
    await peer.host.replica.author(peer.signer, 'task.claimed', { taskId: `bulk-${i}`, projectId: 'p', repository: `repo-${i % 7}`, title: `Bulk task ${i}`, description: '' })
  }
  await peer.host.ingest([]) // one durable write for the batch
  await peer.sync.syncWithAll()
  await expect.poll(relayEvents, { timeout: 60_000 }).toBeGreaterThanOrEqual(1002)

  // The room may still grow while the tab loads (the agent's own duties author a few events),
  // so the tab is compared with the relay's count at the same moment, not a snapshot taken before.
  const tab = new PeersPage(await (await browser.newContext()).newPage())
  await tab.goto()
  await expect
    .poll(async () => {
      const [seen, total] = await Promise.all([tab.events(), relayEvents()])
      return seen >= 1002 && seen === total ? 'caught up' : `tab ${seen} of ${total}`
    }, { timeout: 60_000 })
    .toBe('caught up')
  const tasks = await tab.page.evaluate(() => window.chorus?.room.getState().state?.tasks.size)
  expect(tasks).toBe(1000)
})
