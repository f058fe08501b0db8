/**
 * Focus mode on a hub, as a reviewer uses it: a task with more dependencies than the canvas
 * shows around it is found by title, focused, and the neighbours the cap left out are listed
 * under "+K more", from where one is brought onto the canvas.
 */
import { expect, test } from '@playwright/test'
import type { RoomState } from '../lib/core/state/types'
import { PeersPage } from './fixtures/peers-page'
import { relayPerTest } from './fixtures/relay-per-test'
import { emitDue, seedAgent, type SeedAgent } from './fixtures/seed'

const room = relayPerTest()
const agents: SeedAgent[] = []

test.afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.agent.stop().catch(() => undefined)))
})

/** The focus shows this many neighbours (FOCUS_CAP) before the rest go to "+K more". */
const CAP = 24
const CLIENTS = CAP + 4

/** Tasks linked to the hub by a detected dependency. */
const hubNeighbours = (s: RoomState) => {
  const linked = new Set<string>()
  for (const { dependency: d } of s.dependencies.values()) {
    if (d.task1 === 'auth-api') linked.add(d.task2)
    if (d.task2 === 'auth-api') linked.add(d.task1)
  }
  return linked.size
}

test('a hub with more neighbours than the focus shows lists the rest under "+K more", and one is brought onto the canvas', async ({ browser }) => {
  const api = await seedAgent('api-agent', room.dir, room.relay.invites.agent)
  const web = await seedAgent('web-agent', room.dir, room.relay.invites.agent)
  agents.push(api, web)
  await api.author('task.claimed', { taskId: 'auth-api', projectId: 'e2e', repository: 'api', title: 'Define user authentication API', description: 'Specify the login endpoint contract' })
  for (let i = 0; i < CLIENTS; i++) {
    await web.author('task.claimed', { taskId: `login-${i}`, projectId: 'e2e', repository: `web-${i}`, title: `Login page ${i}`, description: 'Login form that calls the authentication API' })
  }
  await api.until((s) => s.tasks.size === CLIENTS + 1, 'every claim')
  for (let round = 0; round < 5 && (await emitDue(api)) > 0; round++);
  await web.until((s) => hubNeighbours(s) === CLIENTS, 'the hub’s dependencies')

  const peers = new PeersPage(await (await browser.newContext()).newPage())
  await peers.join(room.relay.invites.reviewer, 'reviewer')
  const page = peers.page
  await page.goto('/graph')
  await expect(page.getByTestId('graph-counts')).toContainText(`${CLIENTS + 1} tasks`, { timeout: 30_000 })

  await page.getByTestId('find-task').fill('authentication API')
  await page.getByRole('button', { name: 'Find', exact: true }).click()
  await expect(page.getByTestId('graph-details')).toContainText('Define user authentication API')
  await page.getByTestId('focus-toggle').click()

  const bar = page.getByTestId('focus-bar')
  await expect(bar).toContainText(`the ${CAP} most relevant of ${CLIENTS} neighbours`)
  await expect(page.getByTestId('graph-counts')).toContainText(`${CAP + 1} tasks`)
  const toggle = page.getByTestId('focus-more-toggle')
  await expect(toggle).toHaveText(`+${CLIENTS - CAP} more`)
  await toggle.click()
  const left = page.getByTestId('focus-more').locator('li')
  await expect(left).toHaveCount(CLIENTS - CAP)

  // The first one left out comes onto the canvas and leaves the list.
  const first = left.first()
  const id = await first.getAttribute('data-task')
  await first.getByRole('button', { name: /^Show .* on the canvas$/ }).click()
  await expect(page.getByTestId('graph-counts')).toContainText(`${CAP + 2} tasks`)
  await expect(toggle).toHaveText(`+${CLIENTS - CAP - 1} more`)
  await expect(page.getByTestId('focus-more').locator(`li[data-task="${id}"]`)).toHaveCount(0)
})
