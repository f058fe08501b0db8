/**
 * The reviewer's views against a real relay and real Node agents: escalations reach every
 * tab's inbox, a human decision taken by keyboard in one tab shows in the other, the timeline
 * updates live, and hostile text renders inert.
 */
import { expect, test, type Browser, type Page } from '@playwright/test'
import { InboxPage, SessionPage } from './fixtures/inbox-page'
import { PeersPage } from './fixtures/peers-page'
import { relayPerTest } from './fixtures/relay-per-test'
import { emitDue, seedAgent, seedDependency, seedEscalation, seedPlan, type SeedAgent } from './fixtures/seed'

const agents: SeedAgent[] = []

test.afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.agent.stop().catch(() => undefined)))
})

const room = relayPerTest()

async function tab(browser: Browser, invite: string, role: string): Promise<Page> {
  const peers = new PeersPage(await (await browser.newContext()).newPage())
  await peers.join(invite, role)
  return peers.page
}

async function agent(name: string): Promise<SeedAgent> {
  const a = await seedAgent(name, room.dir, room.relay.invites.agent)
  agents.push(a)
  return a
}

test('an escalation reaches both tabs; claim and approve by keyboard in one tab show in the other within a second', async ({ browser }) => {
  const a = new InboxPage(await tab(browser, room.relay.invites.admin, 'admin'))
  const b = new InboxPage(await tab(browser, room.relay.invites.reviewer, 'reviewer'))
  const ann = await agent('ann')
  const session = await seedEscalation(ann, { taskId: 'token-format', repository: 'api', title: 'Choose the token format', note: 'We disagree on JWT vs opaque tokens' })

  // Before anyone opens the inbox, the navigation counts the unread escalation.
  await expect(b.badge()).toHaveText('1', { timeout: 30_000 })
  // Opened from the navigation, as a reviewer would: a full reload restarts the tab's node, and
  // its first event then waits for the gossip mesh to re-form (seconds), which is not what we time here.
  for (const t of [a, b]) {
    await t.open()
    await expect(t.row(session)).toBeVisible({ timeout: 30_000 })
    await expect(t.row(session)).toContainText('We disagree on JWT vs opaque tokens')
  }
  // Opening the inbox selects the oldest item, which marks it read: the badge clears.
  await expect(a.badge()).toHaveCount(0)
  await expect(a.detail()).toHaveAttribute('data-session', session)

  // Timed from the key press, polled every frame in tab B: within one second.
  await a.keys('c')
  await b.page.waitForFunction((id) => document.querySelector(`[data-testid="inbox-row"][data-session="${id}"]`)?.getAttribute('data-claimed') === 'true', session, { timeout: 1_000, polling: 'raf' })
  await expect(a.detail().getByTestId('claimed-note')).toContainText('You claimed this')
  await expect(b.detail().getByTestId('claimed-note')).toContainText('Claimed by')
  await expect(b.detail().getByTestId('action-claim')).toBeDisabled()

  // The review dialog queues the approval; "Send now" skips the undo window, then the 1 s budget runs.
  await a.decide('a')
  await b.page.waitForFunction((id) => document.querySelector(`[data-testid="inbox-row"][data-session="${id}"]`) == null, session, { timeout: 1_000, polling: 'raf' })
  await expect(b.page.getByTestId('inbox-empty')).toBeVisible()
  await b.filter('decided').click()
  await expect(b.row(session)).toContainText('resolved')
  await expect(b.detail()).toHaveAttribute('data-status', 'resolved')
  await expect(b.detail().getByTestId('decided-by')).toContainText('approved the plan')
  await b.page.screenshot({ path: test.info().outputPath('inbox-decided.png') })
})

test('a session in the list opens in a new tab by middle click or Ctrl/⌘+click, here by a click, and the list stays one tab stop', async ({ browser }) => {
  const ann = await agent('ann')
  const session = await seedEscalation(ann, { taskId: 'cache-policy', repository: 'api', title: 'Choose the cache policy', note: 'Two policies, please pick one' })
  const page = await tab(browser, room.relay.invites.reviewer, 'reviewer')
  await page.getByRole('navigation').getByRole('link', { name: 'Sessions' }).click()
  const row = page.locator(`[data-testid="session-row"][data-session="${session}"]`)
  await expect(row).toBeVisible({ timeout: 30_000 })
  const url = new RegExp(`/sessions/${session}$`)
  for (const click of [{ button: 'middle' as const }, { modifiers: ['ControlOrMeta' as const] }]) {
    const [opened] = await Promise.all([page.context().waitForEvent('page', { timeout: 15_000 }), row.click(click)])
    await expect(opened).toHaveURL(url)
    await opened.close()
  }
  await expect(page).toHaveURL(/\/sessions$/)
  await expect(row).toHaveAttribute('href', `/sessions/${session}`)
  // The rows are reached by the list's keys, not by Tab: Tab from the list leaves it.
  await page.getByTestId('sessions-table').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('sessions-table')).not.toBeFocused()
  await expect(page.locator('[data-testid="sessions-table"] :focus')).toHaveCount(0)
  await row.click()
  await expect(page.getByTestId('session-view')).toHaveAttribute('data-session', session, { timeout: 30_000 })
})

test('j/k move through escalations, ? opens help, e opens the plan editor, r resolves with a decision, and a guest sees the actions disabled with the reason', async ({ browser }) => {
  const ann = await agent('ann')
  const ids: string[] = []
  for (const n of [1, 2, 3]) ids.push(await seedEscalation(ann, { taskId: `topic-${n}`, repository: `repo-${n}`, title: `Topic ${n}`, note: `Escalation number ${n}` }))
  const guestPage = await (await browser.newContext()).newPage()
  const guest = new InboxPage(guestPage)
  const r = new InboxPage(await tab(browser, room.relay.invites.reviewer, 'reviewer'))
  await r.goto()
  await expect(r.rows()).toHaveCount(3, { timeout: 30_000 })
  await expect(r.selected()).toHaveAttribute('data-session', ids[0])
  await r.keys('j', 'j')
  await expect(r.selected()).toHaveAttribute('data-session', ids[2])
  await r.keys('k')
  await expect(r.selected()).toHaveAttribute('data-session', ids[1])
  await r.keys('?')
  await expect(r.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible()
  await r.keys('Escape')
  await expect(r.page.getByRole('dialog')).toHaveCount(0)
  await r.keys('e')
  await expect(r.dialog().getByLabel('Summary')).toBeFocused()
  await r.keys('Escape')
  await expect(r.dialog()).toHaveCount(0)

  await r.keys('r')
  await expect(r.dialog()).toBeVisible()
  await r.dialog().getByLabel('Decision', { exact: true }).fill('Use opaque tokens')
  await r.dialog().getByTestId('review-submit').click()
  await expect(r.row(ids[1])).toHaveCount(0)
  await expect(r.rows()).toHaveCount(2)

  await guest.goto()
  await expect(guest.rows()).toHaveCount(2, { timeout: 30_000 })
  await expect(guest.detail().getByTestId('action-approve')).toBeDisabled()
  await expect(guest.detail().getByTestId('actions-disabled-reason')).toContainText('guest')
})

test('the graph points from the task the plan puts first; the timeline shows plans and messages live, an edit with a diff that marks only the changed words, and hostile text inert', async ({ browser }) => {
  const evil = '<img src=x onerror=alert(1)> **bold**'
  const ann = await agent('ann')
  const bob = await agent('bob')
  const page = await tab(browser, room.relay.invites.admin, 'admin')
  let dialogs = 0
  page.on('dialog', (d) => {
    dialogs++
    void d.dismiss()
  })
  const session = await seedDependency(ann, bob, { api: `Define user authentication API ${evil}`, web: 'Implement login page' })
  // The edge is in both tabs' graphs, and clicking a task leads to its session.
  const other = await tab(browser, room.relay.invites.reviewer, 'reviewer')
  await other.goto('/graph')
  await expect(other.locator('.react-flow__edge')).toHaveCount(1, { timeout: 30_000 })
  await page.goto('/graph')
  await expect(page.getByTestId('graph-node')).toHaveCount(2, { timeout: 30_000 })
  await expect(page.getByTestId('graph-counts')).toHaveText('2 tasks · 1 dependencies')
  await expect(page.locator('.react-flow__edge')).toHaveCount(1)
  await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-layout', 'worker')
  // The edge points the way the plan orders the tasks; a new version that reverses them flips it.
  await expect(page.locator('.react-flow__edge[data-first="auth-api"][data-then="login-page"]')).toHaveCount(1)
  await expect(page.locator('.react-flow__edge[data-first="auth-api"]')).toHaveAttribute('aria-label', /goes before Implement login page \(API contract\)$/)
  await ann.author('plan.proposed', { session, version: 2, plan: seedPlan(['login-page', 'auth-api'], 'Build the page first, against a mock of the API') })
  await expect(page.locator('.react-flow__edge[data-first="login-page"][data-then="auth-api"]')).toHaveCount(1, { timeout: 15_000 })
  await expect(page.getByTestId('wait').first()).toHaveAttribute('data-first', 'login-page')
  await page.screenshot({ path: test.info().outputPath('graph.png') })
  await page.locator('[data-testid="graph-node"][data-task="login-page"]').click()
  await page.getByTestId('graph-session-link').click()
  const s = new SessionPage(page)
  await expect(page.getByTestId('session-view')).toHaveAttribute('data-session', session)
  await expect(s.entries('plan')).toHaveCount(2, { timeout: 30_000 })
  await expect(page.getByTestId('session-view')).toContainText(evil)

  // Live: the page is not reloaded. Gossip usually brings it in 0.15–0.8 s, but measured up to
  // 2.4 s at load 14 on 2 cores (the relay's fsync, the tab's IndexedDB write and the render all
  // wait for CPU); a budget of 5 s failed once in CI. The 1 s figure is timed in the inbox test.
  await bob.author('session.message', { session, text: `I have a concern ${evil}`, type: 'concern' })
  await expect(s.entries('message')).toHaveCount(1, { timeout: 15_000 })
  await expect(s.entries('message')).toContainText('concern')
  await ann.author('session.escalated', { session, reason: 'requested', note: 'Please decide' })
  await expect(s.status()).toHaveText('escalated', { timeout: 15_000 })

  await page.getByTestId('action-edit').click()
  const form = page.getByRole('form', { name: 'Edit plan' })
  await form.getByLabel('Summary').fill('Build the page first, against the staging API')
  await form.getByRole('button', { name: 'Save as new version' }).click()
  await expect(s.entries('plan')).toHaveCount(3)
  await expect(s.entries('plan').nth(2)).toContainText('v3')
  // Only the changed words are marked: "a mock of" out, "staging" in.
  const diff = s.entries('plan').nth(2).getByTestId('plan-diff')
  await expect(diff.getByTestId('diff-del')).toHaveText([/^a mock of\s*$/])
  await expect(diff.getByTestId('diff-add')).toHaveText([/^staging\s*$/])
  await expect(diff).toContainText('Build the page first, against')
  await page.screenshot({ path: test.info().outputPath('timeline.png'), fullPage: true })

  expect(dialogs).toBe(0)
  await expect(page.locator('img[src="x"]')).toHaveCount(0)
})

test('an admin sets the thresholds in settings; repeated concerns escalate; a quorum of two approves from inbox and session page; the outcome exports', async ({ browser }) => {
  const a = await tab(browser, room.relay.invites.admin, 'admin')
  const b = new InboxPage(await tab(browser, room.relay.invites.reviewer, 'reviewer'))
  const ann = await agent('ann')
  const bob = await agent('bob')
  const session = await seedDependency(ann, bob, { api: 'Define user authentication API', web: 'Implement login page' })

  await a.goto('/settings')
  await a.getByTestId('config-escalationThreshold').fill('2')
  await a.getByTestId('config-approvalQuorum').fill('2')
  await a.getByRole('button', { name: 'Save configuration' }).click()
  await expect(a.getByRole('status')).toHaveText('Saved.')
  await ann.until((s) => s.config.escalationThreshold === 2 && s.config.approvalQuorum === 2, 'the new configuration')

  for (const n of [1, 2, 3]) await bob.author('session.message', { session, text: `I still have a concern (${n})`, type: 'concern' })
  await ann.until((s) => (s.sessions.get(session as never)?.messages.length ?? 0) >= 3, 'the concerns')
  await emitDue(ann)

  await b.goto()
  await expect(b.row(session)).toContainText('message limit', { timeout: 30_000 })
  await b.page.screenshot({ path: test.info().outputPath('inbox-open.png') })
  await b.decide('a')
  await expect(b.detail().getByTestId('approval-progress')).toHaveAttribute('data-approvals', '1')
  await expect(b.detail().getByTestId('approval-progress')).toContainText('1 missing')
  await expect(b.row(session)).toBeVisible()

  const s = new SessionPage(a)
  await s.goto(session)
  await expect(a.getByTestId('approval-progress')).toContainText('1 of 2')
  await a.getByTestId('action-approve').click()
  await expect(s.status()).toHaveText('resolved')
  await expect(b.row(session)).toHaveCount(0, { timeout: 15_000 })

  await a.goto('/outcomes')
  await expect(a.getByTestId('outcome-row')).toHaveCount(1)
  await expect(a.getByTestId('outcome-row')).toContainText('approved')
  await a.screenshot({ path: test.info().outputPath('outcomes.png') })
  const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('export-ndjson').click()])
  const text = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8')
  expect(text.trim().split('\n').map((l) => JSON.parse(l).session)).toEqual([session])
})

test('an admin previews and adds a custom rule; a reviewer sees it but may not remove it', async ({ browser }) => {
  const ann = await agent('ann')
  const bob = await agent('bob')
  await ann.author('task.claimed', { taskId: 'flag-backend', projectId: 'e2e', repository: 'backend', title: 'Add feature flag for checkout', description: '' })
  await bob.author('task.claimed', { taskId: 'flag-web', projectId: 'e2e', repository: 'web', title: 'Read the feature flag in checkout page', description: '' })
  const a = await tab(browser, room.relay.invites.admin, 'admin')
  const r = await tab(browser, room.relay.invites.reviewer, 'reviewer')
  await a.goto('/rules')
  const form = a.getByRole('form', { name: 'Add a custom rule' })
  await form.getByLabel('Name').fill('9 bad')
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form.getByRole('alert').first()).toContainText('letters, digits')

  await form.getByLabel('Name').fill('Feature_Flags')
  await form.getByLabel('Description').fill('flag producers and readers')
  await form.getByLabel('Keywords').fill('feature flag')
  await expect.poll(async () => {
    await form.getByRole('button', { name: 'Try it on current tasks' }).click()
    return a.getByTestId('rule-preview').getAttribute('data-found')
  }, { timeout: 30_000 }).toBe('1')
  await expect(a.getByTestId('rule-preview')).toContainText('Add feature flag for checkout ↔ Read the feature flag in checkout page')
  await a.screenshot({ path: test.info().outputPath('rules.png'), fullPage: true })
  await form.getByRole('button', { name: 'Add rule' }).click()
  await expect(form.getByLabel('Name')).toHaveValue('')

  await r.goto('/rules')
  const row = r.locator('[data-testid="custom-rule"][data-name="Feature_Flags"]')
  await expect(row).toBeVisible({ timeout: 30_000 })
  await expect(row.getByRole('button', { name: 'Remove' })).toBeDisabled()
  await expect(r.getByTestId('rules-disabled-reason')).toContainText('reviewer')
})
