import { expect, test } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { E2E } from './fixtures/ports'
import { runAttackProcess } from './fixtures/processes'
import { relayPerTest } from './fixtures/relay-per-test'

const room = relayPerTest()

test('a Byzantine member is refused by the mesh and flagged on /peers with its equivocation evidence', async ({ browser }) => {
  const tab = new PeersPage(await (await browser.newContext()).newPage())
  await tab.join(room.relay.invites.admin, 'admin')
  const before = await tab.events()

  const attack = await runAttackProcess(room.dir, room.relay.invites.agent, ['forged-signature', 'malformed', 'non-member', 'equivocation'])
  expect(attack.code, attack.output).toBe(0)
  const mustBeRefused = attack.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => JSON.parse(l).mustBeRefused as string[])
  expect(mustBeRefused.length).toBeGreaterThanOrEqual(3)

  // The attacker's equivocation reaches the tab as evidence and is shown with the event ids.
  const row = tab.rowNamed('mallory')
  await expect(row).toHaveAttribute('data-flags', /equivocation/, { timeout: 30_000 })
  await expect(tab.page.getByTestId('evidence')).toContainText('signed 2 different events')
  // The quarantined author's tasks count for nothing in this tab's state.
  const tasks = await tab.page.evaluate(() => window.chorus?.room.getState().state?.tasks.size ?? -1)
  expect(tasks).toBe(0)
  expect(await tab.events()).toBeGreaterThan(before)
  // The relay refused the forged and non-member events before they could spread.
  const relayMetrics = await (await fetch(`http://127.0.0.1:${E2E.relayHttpPort}/metrics`)).text()
  expect(relayMetrics).toMatch(/chorus_events_total\{outcome="bad_signature"\} [1-9]/)
  expect(relayMetrics).toMatch(/chorus_events_total\{outcome="not_member"\} [1-9]/)

  // The admin revokes the attacker from /peers: a signed member.revoked, seen by the relay too.
  tab.page.once('dialog', (d) => void d.accept())
  await row.getByRole('button', { name: 'revoke' }).click()
  await expect(row.getByRole('button', { name: 'revoke' })).toHaveCount(0, { timeout: 10_000 })
  const revoked = await tab.page.evaluate(() => [...(window.chorus?.room.getState().state?.members.values() ?? [])].filter((m) => m.revoked).map((m) => m.displayName))
  expect(revoked).toEqual(['mallory'])
  await expect
    .poll(async () => (await (await fetch(`http://127.0.0.1:${E2E.relayHttpPort}/api/room`)).json()).events, { timeout: 10_000 })
    .toBe(await tab.events())
})
