/**
 * Human names: a new reviewer is asked for a name once; the name they give (and a later
 * rename in Settings) is signed into the room's log, so the member list shows it in their tab
 * and in everyone else's, next to what presence says about their own tab, and survives a reload.
 */
import { expect, test, type Browser, type Page } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { relayPerTest } from './fixtures/relay-per-test'

const room = relayPerTest()

async function joined(browser: Browser, invite: string, role: string): Promise<PeersPage> {
  const peers = new PeersPage(await (await browser.newContext()).newPage())
  await peers.join(invite, role)
  return peers
}

/** The member list row of `peerId` in `page`, and the name it shows. */
const memberRow = (page: Page, peerId: string) => page.locator(`[data-testid="peer-row"][data-peer-id="${peerId}"]`)

test('a reviewer names themselves at the prompt and renames in Settings: both tabs show the name in the member list and presence', async ({ browser }) => {
  const rita = await joined(browser, room.relay.invites.reviewer, 'reviewer')
  const admin = await joined(browser, room.relay.invites.admin, 'admin')
  const ritaId = await rita.selfPeerId()
  const before = await rita.page.getByTestId('self-name').innerText()
  expect(before).toMatch(/^Reviewer [A-Za-z0-9]{6}$/)
  // The admin's member list knows Rita by the default name until she gives hers.
  await expect(memberRow(admin.page, ritaId)).toHaveAttribute('data-name', before, { timeout: 45_000 })

  // The first-run prompt, by keyboard: type, Enter.
  const prompt = rita.page.getByRole('form', { name: 'Your name' })
  await expect(prompt).toBeVisible({ timeout: 30_000 })
  await prompt.getByLabel('What should others in this room call you?').fill('Rita Reviewer')
  await prompt.getByLabel('What should others in this room call you?').press('Enter')
  await expect(prompt).toBeHidden({ timeout: 30_000 })
  // Presence (this tab's own name) and the member list, in her tab and in the admin's.
  await expect(rita.page.getByTestId('self-name')).toHaveText('Rita Reviewer')
  await expect(memberRow(admin.page, ritaId)).toHaveAttribute('data-name', 'Rita Reviewer', { timeout: 30_000 })
  await expect(memberRow(admin.page, ritaId).getByRole('cell').first()).toHaveText('Rita Reviewer')
  // Her new name is in the room's history too.
  await admin.page.goto('/')
  await expect(admin.page.getByTestId('activity-item').filter({ hasText: 'is now called “Rita Reviewer”' })).toHaveCount(1, { timeout: 30_000 })

  // Renamed later in Settings.
  await rita.page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click()
  await rita.page.getByTestId('display-name').fill('Rita R.')
  await rita.page.getByRole('form', { name: 'Display name' }).getByRole('button', { name: 'Save' }).click()
  await expect(rita.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible({ timeout: 30_000 })
  await admin.goto()
  await expect(memberRow(admin.page, ritaId)).toHaveAttribute('data-name', 'Rita R.', { timeout: 30_000 })

  // A reload keeps the name and does not ask again.
  await rita.page.reload()
  await rita.goto()
  await expect(rita.page.getByTestId('self-name')).toHaveText('Rita R.', { timeout: 30_000 })
  await expect(rita.page.getByRole('form', { name: 'Your name' })).toHaveCount(0)
  await expect(memberRow(admin.page, ritaId)).toHaveAttribute('data-name', 'Rita R.')
})
