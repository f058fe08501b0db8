/**
 * What a newcomer sees after `npm start -- --demo`: the real `chorus-mesh start` process (relay,
 * web app, demo agents) on free ports. The printed admin link makes a tab admin even though the
 * open room already made it a reviewer; within a bounded time every view shows the scenarios;
 * and axe-core finds no serious or critical violation on any view, at desktop and phone sizes.
 */
import { expect, test, type Browser, type Page } from '@playwright/test'
import { startApp, type StartedApp } from './fixtures/app'
import { expectAccessible } from './fixtures/axe'
import { PeersPage } from './fixtures/peers-page'

test.describe.configure({ mode: 'serial' })

let app: StartedApp

test.beforeAll(async () => {
  test.setTimeout(360_000)
  app = await startApp(['--demo'])
})

test.afterAll(async () => {
  await app?.stop()
})

const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

async function open(browser: Browser, viewport = DESKTOP): Promise<Page> {
  return (await browser.newContext({ baseURL: app.base, viewport })).newPage()
}

/** Client-side navigation through the top bar (its Menu on a phone): the tab's node keeps running. */
async function go(page: Page, label: string): Promise<void> {
  const menu = page.getByTestId('nav-menu')
  if (await menu.isVisible()) await menu.click()
  await page.getByRole('navigation').getByRole('link', { name: new RegExp(`^${label}`) }).click()
}

test('the printed admin link makes a tab that the open room had made a reviewer the room’s admin', async ({ browser }) => {
  const peers = new PeersPage(await open(browser))
  await peers.goto()
  await expect(peers.page.getByTestId('self-role')).toHaveText('reviewer', { timeout: 30_000 })
  const before = await peers.selfPeerId()

  await peers.page.goto(app.links.admin)
  await expect(peers.page.getByTestId('join-status')).toHaveAttribute('data-role', 'admin', { timeout: 60_000 })
  await peers.goto()
  await expect(peers.page.getByTestId('self-role')).toHaveText('admin')
  expect(await peers.selfPeerId()).not.toBe(before)
  await peers.page.goto('/settings')
  await expect(peers.page.getByRole('button', { name: 'Save configuration' })).toBeEnabled()

  // A fresh tab on the printed link is admin at once: the open room does not get there first.
  const fresh = await open(browser)
  await fresh.goto(app.links.admin)
  await expect(fresh.getByTestId('join-status')).toHaveAttribute('data-role', 'admin', { timeout: 60_000 })
  await expect(fresh.getByTestId('join-status')).toContainText('You joined as admin')
})

test('within two minutes the inbox, sessions, graph and outcomes show the demo’s scenarios', async ({ browser }) => {
  const page = await open(browser)
  await page.goto('/sessions')
  // Sessions whose tasks were all completed are closed, hence archived: show them too.
  await page.getByLabel('archived').check()
  await expect(page.getByTestId('session-row')).toHaveCount(5, { timeout: 120_000 })
  await page.goto('/inbox')
  // The JWT pair argues past the message limit; the feature-flag pair asks a reviewer to approve.
  await expect(page.getByTestId('inbox-row').filter({ hasText: 'message limit' })).toHaveCount(1, { timeout: 120_000 })
  await expect(page.locator('[data-testid="inbox-row"][data-kind="approval"]')).toHaveCount(1)
  await page.goto('/graph')
  await expect(page.getByTestId('graph-counts')).toHaveText(/^9 tasks · 4 dependencies/, { timeout: 60_000 })
  await expect(page.getByTestId('graph-node')).toHaveCount(9)
  await page.goto('/outcomes')
  await expect.poll(() => page.getByTestId('outcome-row').count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(3)
})

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
  test(`axe-core: no serious or critical violation on any view (${size})`, async ({ browser }) => {
    test.setTimeout(240_000)
    const page = await open(browser, viewport)
    await page.goto('/join')
    await expect(page.getByRole('heading', { name: 'Join the room' })).toBeVisible()
    await expectAccessible(page, `/join (${size})`)
    const views: Array<[string, () => Promise<unknown>]> = [
      ['Overview', () => expect(page.getByTestId('activity-item').first()).toBeVisible({ timeout: 30_000 })],
      ['Inbox', () => expect(page.getByTestId('inbox-row').first()).toBeVisible({ timeout: 30_000 })],
      ['Graph', () => expect(page.getByTestId('graph-node').first()).toBeVisible({ timeout: 30_000 })],
      ['Outcomes', () => expect(page.getByTestId('outcome-row').first()).toBeVisible({ timeout: 30_000 })],
      ['Rules', () => expect(page.getByRole('heading', { name: 'Rules' })).toBeVisible()],
      ['Peers', () => expect(page.getByTestId('peer-row').first()).toBeVisible({ timeout: 30_000 })],
      ['Settings', () => expect(page.getByTestId('display-name')).toBeVisible()],
      ['Sessions', () => expect(page.getByTestId('session-row').first()).toBeVisible({ timeout: 30_000 })],
    ]
    for (const [label, ready] of views) {
      await go(page, label)
      await ready()
      await expectAccessible(page, `${label} (${size})`)
      // Fitted, no task card lies under the zoom controls.
      if (label === 'Graph') await expect.poll(() => cardsUnderControls(page), { timeout: 10_000 }).toEqual([])
    }
    // A session's timeline, reached from the list by keyboard: ↓ makes the first row active, Enter opens it.
    await page.getByTestId('sessions-table').focus()
    await page.keyboard.press('ArrowDown')
    await expect(page.getByTestId('session-row').first()).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('session-view')).toBeVisible({ timeout: 30_000 })
    await expectAccessible(page, `/sessions/[id] (${size})`)
    // The keyboard help dialog.
    await go(page, 'Inbox')
    await expect(page.getByTestId('inbox-row').first()).toBeVisible({ timeout: 30_000 })
    await page.keyboard.press('?')
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
    await expectAccessible(page, `/inbox help dialog (${size})`)
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog')).toHaveCount(0)
    // The selected request's card (on a phone its own screen) and the review dialog.
    await page.getByTestId('inbox-row').first().click()
    await expect(page.getByTestId('request-card')).toBeVisible()
    await expectAccessible(page, `/inbox request card (${size})`)
    await page.getByTestId('action-resolve').click()
    await expect(page.getByTestId('review-dialog')).toBeVisible()
    await expectAccessible(page, `/inbox review dialog (${size})`)
  })
}

/** The titles of the graph's task cards that overlap its zoom controls. */
function cardsUnderControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = document.querySelector('.react-flow__controls')?.getBoundingClientRect()
    if (controls == null) return ['(no controls)']
    return [...document.querySelectorAll('[data-testid="graph-node"]')].filter((n) => {
      const r = n.getBoundingClientRect()
      return r.left < controls.right && controls.left < r.right && r.top < controls.bottom && controls.top < r.bottom
    }).map((n) => n.textContent ?? '')
  })
}
