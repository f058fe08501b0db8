/**
 * The Invites panel in /settings, as a room's admin uses it: a reviewer link with two uses (a
 * colleague joins with it, the panel shows one left), an agent token, a revocation; the
 * operator's `chorus-mesh invite list` shows the same invites (both read the room's log), and
 * axe-core finds no serious or critical violation on the page with the panel filled in.
 */
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { decodeInviteText } from '../lib/core/events/invite-link'
import { expectAccessible } from './fixtures/axe'
import { PeersPage } from './fixtures/peers-page'
import { E2E } from './fixtures/ports'
import { relayPerTest } from './fixtures/relay-per-test'

const cli = join(resolve(import.meta.dirname, '..'), 'bin', 'chorus-mesh.js')

test.afterEach(async ({ browser }) => {
  // Tabs left open keep their libp2p nodes redialling through every later test of the worker.
  await Promise.all(browser.contexts().map((c) => c.close()))
})

const room = relayPerTest()

/** `chorus-mesh invite list --json` on the relay's host. */
function cliList(): Array<{ id: string; role: string; status: string; uses: number }> {
  const r = spawnSync(process.execPath, [cli, 'invite', 'list', '--relay', `http://127.0.0.1:${E2E.relayHttpPort}`, '--data', room.dir, '--json'], { encoding: 'utf8', env: { ...process.env, CHORUS_ADMIN_TOKEN: '' } })
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout)
}

const nonceOf = (text: string) => decodeInviteText(text.replace(/^.*#invite=/, ''))!.nonce

test('an admin makes a reviewer link and an agent token, sees uses left, revokes; the CLI lists the same invites', async ({ browser }) => {
  const admin = new PeersPage(await (await browser.newContext()).newPage())
  await admin.join(room.relay.invites.admin, 'admin')
  await admin.page.goto('/settings')
  const panel = admin.page.getByRole('region', { name: 'Invites' })
  await panel.getByTestId('invite-uses').fill('2')
  await panel.getByTestId('invite-create').click()
  const made = panel.getByTestId('invite-made')
  await expect(made).toHaveValue(/\/join#invite=[A-Za-z0-9_-]+$/, { timeout: 20_000 })
  const link = await made.inputValue()
  const linkNonce = nonceOf(link)
  const row = panel.locator(`[data-testid="invite-row"][data-nonce="${linkNonce}"]`)
  await expect(row).toHaveAttribute('data-left', '2')
  await expectAccessible(admin.page, '/settings with the Invites panel')

  // A colleague follows the link: the panel counts the use.
  const colleague = await (await browser.newContext()).newPage()
  await colleague.goto(link)
  await expect(colleague.getByTestId('join-status')).toHaveAttribute('data-role', 'reviewer', { timeout: 45_000 })
  await expect(row).toHaveAttribute('data-left', '1', { timeout: 30_000 })

  // An agent token; the operator's CLI lists both, from the same log.
  await panel.getByTestId('invite-as-token').check()
  await expect(panel.getByTestId('invite-role')).toHaveValue('agent')
  await panel.getByTestId('invite-create').click()
  await expect(made).toHaveValue(/^[A-Za-z0-9_-]{40,}$/, { timeout: 20_000 })
  const tokenNonce = nonceOf(await made.inputValue())
  await expect(panel.getByText(/npx chorus-mesh agent --name my-agent --relay http/)).toBeVisible()
  await expect.poll(() => cliList().find((i) => i.id === tokenNonce)?.role, { timeout: 30_000 }).toBe('agent')
  expect(cliList().find((i) => i.id === linkNonce)).toMatchObject({ role: 'reviewer', uses: 1, status: 'active' })

  // Revoked in the panel: revoked for the CLI too.
  await row.getByRole('button', { name: /^Revoke/ }).click()
  await expect(row).toHaveAttribute('data-status', 'revoked')
  await expect.poll(() => cliList().find((i) => i.id === linkNonce)?.status, { timeout: 30_000 }).toBe('revoked')
})
