/**
 * Everything that needs a human reaches the inbox and is decided fast: an approval request from
 * deferring `chorus-mesh agent` processes shows in two tabs and reaches the escalation webhook
 * once; a background tab, unfocused or hidden, gets a browser notification within a second of an
 * escalation; and the oldest item is decided by keyboard alone, within six non-text keystrokes,
 * focus checked at every step, with an undo that really takes a decision back.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { InboxPage } from './fixtures/inbox-page'
import { PeersPage } from './fixtures/peers-page'
import { startAgentProcess, startRelayProcess, tempDataDir, type Proc, type RelayProc } from './fixtures/processes'
import { seedAgent, seedEscalation, type SeedAgent } from './fixtures/seed'

let relay: RelayProc | undefined
let data: ReturnType<typeof tempDataDir>
let hook: { server: Server; url: string; posts: Array<{ text: string; request: { kind: string; session: string } }> }
const procs: Proc[] = []
const agents: SeedAgent[] = []

test.beforeEach(async () => {
  const posts: typeof hook.posts = []
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      posts.push(JSON.parse(raw))
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  hook = { server, posts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack` }
  data = tempDataDir()
  relay = await startRelayProcess(data.dir, { CHORUS_ESCALATION_WEBHOOK: hook.url })
})

test.afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.kill()))
  await Promise.all(agents.splice(0).map((a) => a.agent.stop().catch(() => undefined)))
  await relay?.kill()
  relay = undefined
  hook.server.closeAllConnections()
  await new Promise((ok) => hook.server.close(ok))
  data.cleanup()
})

async function tab(browser: Browser, role: 'admin' | 'reviewer', opts: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const peers = new PeersPage(await (await browser.newContext(opts)).newPage())
  await peers.join(relay!.invites[role], role)
  return peers.page
}

test('an approval request from deferring agents shows in two tabs and reaches the escalation webhook once', async ({ browser }) => {
  const defer = (name: string, repo: string, title: string, description: string) =>
    procs.push(startAgentProcess(name, data.dir, relay!.invites.agent, ['--repo', repo, '--task', title, '--description', description, '--policy', 'defer']))
  defer('flag-agent', 'config', 'Add feature flag for the new checkout', 'Feature flag new_checkout, off by default, in the flag config')
  defer('orders-agent', 'orders', 'Backend checks for the new checkout', 'Guard the checkout handler behind the new_checkout feature flag')
  const tabs = [new InboxPage(await tab(browser, 'admin')), new InboxPage(await tab(browser, 'reviewer'))]
  for (const t of tabs) {
    await t.open()
    const row = t.rows().filter({ hasText: 'approval requested' })
    await expect(row).toHaveCount(1, { timeout: 90_000 })
    await expect(row).toHaveAttribute('data-kind', 'approval')
    await expect(t.detail().getByTestId('card-ask')).toHaveText('Approve plan v1 before the agents start?')
    await expect(t.detail().getByTestId('card-reason')).toContainText('asked: “Please approve plan v1 before we start')
    await expect(t.detail().getByRole('list', { name: 'Sequence' })).toContainText('Add feature flag for the new checkout')
  }
  await expect.poll(() => hook.posts.length, { timeout: 30_000 }).toBe(1)
  expect(hook.posts[0].request.kind).toBe('approval')
  expect(hook.posts[0].text).toMatch(/^Approval requested for plan v1: (Add feature flag for the new checkout|Backend checks for the new checkout) ↔ /)
  // Nothing more is posted while the request stays open and the agents stay alive.
  await tabs[0].page.waitForTimeout(3000)
  expect(hook.posts).toHaveLength(1)
})

// In the background: the reviewer looks at another window (the tab visible, unfocused), or at
// another tab of this window (the document hidden, when a tab's changes are applied least often).
for (const background of ['unfocused', 'hidden'] as const) {
  test(`a tab in the background (${background}) gets a browser notification within a second of an escalation`, async ({ browser }) => {
    const page = await tab(browser, 'reviewer', { permissions: ['notifications'] })
    await page.goto('/graph')
    await page.evaluate((hidden) => {
      const notes: Array<{ title: string; at: number }> = ((window as unknown as { __notes: unknown[] }).__notes = [])
      // What the browser would show, recorded.
      class Recorded { constructor(title: string) { notes.push({ title, at: Date.now() }) } static permission = 'granted'; static requestPermission = async () => 'granted' }
      Object.assign(window, { Notification: Recorded })
      document.hasFocus = () => false
      if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    }, background === 'hidden')
    await expect(page.getByRole('heading', { name: 'Dependency graph' })).toBeVisible()
    const ann = await seedAgent('ann', data.dir, relay!.invites.agent)
    agents.push(ann)
    await page.waitForFunction(() => window.chorus?.store.getState().membership?.status === 'member')
    const t0 = Date.now()
    await seedEscalation(ann, { taskId: 'token-format', repository: 'api', title: 'Choose the token format', note: 'We disagree on JWT vs opaque tokens' })
    const sent = Date.now()
    const note = await page.waitForFunction(() => (window as unknown as { __notes: Array<{ title: string; at: number }> }).__notes[0], undefined, { timeout: 15_000, polling: 'raf' })
    const { title, at } = (await note.jsonValue()) as { title: string; at: number }
    expect(title).toBe('Chorus Mesh: requested')
    expect(at - sent, `authored in ${sent - t0} ms, notified ${at - sent} ms after`).toBeLessThan(1000)
    await expect(page.getByTestId('arrival')).toContainText('Choose the token format')
    await expect(page).toHaveTitle(/^\(1\) /)
  })
}

test('the oldest item is decided by keyboard alone in at most six non-text keystrokes, focus checked at each step; undo takes a decision back', async ({ browser }) => {
  const ann = await seedAgent('ann', data.dir, relay!.invites.agent)
  agents.push(ann)
  const ids: string[] = []
  for (const n of [1, 2, 3]) ids.push(await seedEscalation(ann, { taskId: `topic-${n}`, repository: `repo-${n}`, title: `Topic ${n}`, note: `Escalation number ${n}` }))
  const r = new InboxPage(await tab(browser, 'reviewer'))
  await r.open()
  await expect(r.rows()).toHaveCount(3, { timeout: 30_000 })
  await expect(r.selected()).toHaveAttribute('data-session', ids[0])
  await expect(r.detail().getByTestId('card-reason')).toContainText('asked: “Escalation number 1”')

  // 1: r opens the review dialog on the oldest item, in "resolve", the decision field focused.
  await r.keys('r')
  await expect(r.dialog().getByLabel('Decision', { exact: true })).toBeFocused()
  await r.page.keyboard.type('Use opaque tokens')
  // 2: Ctrl+Enter queues it; the dialog closes and the list has focus on the next item.
  await r.keys('Control+Enter')
  await expect(r.dialog()).toHaveCount(0)
  expect(await r.focused()).toMatchObject({ testId: 'inbox-list', active: `inbox-option-${ids[1]}` })
  await expect(r.page.getByTestId('pending-decision')).toContainText('Resolve Topic 1: “Use opaque tokens”')
  expect(r.pressed).toBeLessThanOrEqual(6)

  // The notices take the bottom corner; on a short screen, scrolled to the end, the next item's
  // actions still show above them rather than under them.
  const screen = r.page.viewportSize()
  await r.page.setViewportSize({ width: 1280, height: 560 })
  await expect.poll(() => r.page.evaluate(() => {
    window.scrollTo(0, document.documentElement.scrollHeight)
    const detail = document.querySelector('[data-testid="inbox-detail"]')
    const pane = detail?.parentElement
    if (detail == null || pane == null) return 'no detail'
    pane.scrollTop = pane.scrollHeight
    const actions = detail.querySelector('section[aria-label="Actions"]')!.getBoundingClientRect()
    const notices = document.querySelector('[data-testid="notices"]')!.getBoundingClientRect()
    return actions.bottom <= notices.top ? 'clear' : `actions end at ${Math.round(actions.bottom)} px, notices start at ${Math.round(notices.top)} px`
  }), { timeout: 5000 }).toBe('clear')
  if (screen) await r.page.setViewportSize(screen)

  // The undo window ends by itself; the item leaves the open list and says who decided what.
  await expect(r.row(ids[0])).toHaveCount(0, { timeout: 20_000 })
  await expect(r.page.getByTestId('decision-notice')).toHaveAttribute('data-ok', 'true')
  await r.filter('decided').click()
  await expect(r.detail().getByTestId('decided-by')).toContainText('resolved it')
  await expect(r.detail().getByTestId('decided-by')).toContainText('Use opaque tokens')
  await r.filter('open').click()

  // An approval taken back with z within the window is never sent.
  await r.page.getByTestId('inbox-list').focus()
  await expect(r.selected()).toHaveAttribute('data-session', ids[1])
  await r.keys('a')
  await expect(r.dialog().getByTestId('review-submit')).toBeFocused()
  await r.keys('Control+Enter')
  await r.keys('z')
  await expect(r.page.getByTestId('pending-decision')).toHaveCount(0)
  expect(await r.focused()).toMatchObject({ testId: 'inbox-list', active: `inbox-option-${ids[1]}` })
  await r.page.waitForTimeout(7000)
  expect(ann.state().sessions.get(ids[1] as never)?.status).toBe('escalated')
  await expect(r.row(ids[1])).toBeVisible()
})
