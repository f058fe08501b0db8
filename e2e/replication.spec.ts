import { expect, test } from '@playwright/test'
import { PeersPage } from './fixtures/peers-page'
import { E2E } from './fixtures/ports'
import { startAgentProcess, startRelayProcess, type Proc } from './fixtures/processes'
import { relayPerTest } from './fixtures/relay-per-test'

const agents: Proc[] = []

test.afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.kill()))
})

const room = relayPerTest()

const relayEvents = async () => (await (await fetch(`http://127.0.0.1:${E2E.relayHttpPort}/api/room`)).json()).events as number

test('invites admit tabs and agents; every replica converges and each tab shows who is in sync', async ({ browser }) => {
  const admin = new PeersPage(await (await browser.newContext()).newPage())
  const reviewer = new PeersPage(await (await browser.newContext()).newPage())
  // What the relay wrote on its own: the genesis and the first invites it issued.
  const base = await relayEvents()
  await admin.goto()
  await expect(admin.page.getByTestId('banner-guest')).toBeVisible()
  await admin.join(room.relay.invites.admin, 'admin')
  await reviewer.join(room.relay.invites.reviewer, 'reviewer')
  agents.push(startAgentProcess('agent-e2e', room.dir, room.relay.invites.agent))

  // Two tabs and one agent joined: three more events everywhere, and every root the same.
  await expect.poll(relayEvents, { timeout: 30_000 }).toBe(base + 3)
  await expect.poll(() => admin.events(), { timeout: 30_000 }).toBe(base + 3)
  await expect.poll(() => reviewer.events(), { timeout: 30_000 }).toBe(base + 3)
  const reviewerId = await reviewer.selfPeerId()
  await admin.expectPeer(reviewerId, { sync: 'in-sync', transport: 'webrtc' })
  await admin.expectPeerNamed('relay', { sync: 'in-sync' })
  await admin.expectPeerNamed('agent-e2e', { sync: 'in-sync', kind: 'agent' })
  await expect(admin.page.getByTestId('self-root')).toHaveText((await reviewer.page.getByTestId('self-root').innerText()).trim())
})

test('a reload restores the room from IndexedDB without any peer; a partition is shown and its heal reported', async ({ browser }) => {
  const context = await browser.newContext()
  const tab = new PeersPage(await context.newPage())
  const base = await relayEvents()
  await tab.join(room.relay.invites.admin, 'admin')
  const writer = startAgentProcess('agent-one', room.dir, room.relay.invites.agent, ['--stdin', '--repo', 'acme/api'])
  agents.push(writer)
  agents.push(startAgentProcess('agent-two', room.dir, room.relay.invites.agent))
  await tab.expectPeerNamed('agent-one', { status: 'alive', sync: 'in-sync' })
  await tab.expectPeerNamed('agent-two', { status: 'alive', sync: 'in-sync' })
  const joined = base + 3
  await expect.poll(() => tab.events(), { timeout: 30_000 }).toBe(joined)

  // The relay dies: both agents (reachable only through it) go silent at once.
  await room.relay.kill('SIGKILL')
  await expect(tab.page.getByTestId('banner-partition')).toBeVisible({ timeout: 30_000 })

  // An agent keeps working on its side of the partition: the claim is stored in its replica only.
  writer.send(JSON.stringify({ op: 'claim', id: 'during-partition', task: { taskId: 'rate-limit', repository: 'acme/api', title: 'Rate-limit the login endpoint' } }))
  const answer = () => writer.output().split('\n').find((l) => l.includes('"id":"during-partition"'))
  await expect.poll(answer, { timeout: 30_000 }).toBeDefined()
  expect(JSON.parse(answer()!)).toMatchObject({ event: 'result', op: 'claim_task' })
  expect(await tab.events()).toBe(joined)

  // The relay returns; the agents reconnect; the banner reports the heal and what it brought in.
  room.relay = await startRelayProcess(room.dir)
  await tab.expectPeerNamed('agent-one', { status: 'alive' })
  await expect(tab.page.getByTestId('banner-healed')).toBeVisible({ timeout: 45_000 })
  await expect.poll(() => tab.events(), { timeout: 30_000 }).toBe(joined + 1)
  await expect(tab.page.getByTestId('banner-healed')).toContainText('brought in 1 event from the other side')

  // With no peer reachable at all, a reload still shows the whole room, membership included.
  await room.relay.kill('SIGKILL')
  await tab.page.reload()
  await expect(tab.page.getByTestId('self-role')).toHaveText('admin', { timeout: 30_000 })
  expect(await tab.events()).toBe(joined + 1)

  // A tab database written by an earlier schema — one record per event (2), or slabs with an
  // index entry per event (3) — is upgraded in place by this build, in Chromium itself: still
  // with no peer, the reload shows the whole room.
  const url = tab.page.url()
  for (const version of [2, 3] as const) {
    await tab.page.goto(new URL('/icon.svg', url).toString())
    const written = await tab.page.evaluate(rewriteAs, { name: 'chorus-mesh-events', version })
    expect(written).toBe(joined + 1)
    await tab.page.goto(url)
    await expect(tab.page.getByTestId('self-role')).toHaveText('admin', { timeout: 30_000 })
    expect(await tab.events()).toBe(joined + 1)
    expect(await tab.page.evaluate(storesOf, 'chorus-mesh-events')).toEqual({ version: 4, stores: ['meta', 'roomSlabs'] })
  }
})

/**
 * Rewrites the tab's event database as an earlier schema, the `meta` records as they are, and
 * returns the events written: version 2 keeps one record per event in `events`; version 3 keeps
 * slabs keyed by [room, id of their first event], every id as `room + ' ' + id` in the unique
 * multi-entry index `ids`. Runs in a page of the app's origin that does not open the database
 * itself (so it is one self-contained function).
 */
async function rewriteAs({ name, version }: { name: string; version: 2 | 3 }): Promise<number> {
  const done = <T>(r: IDBRequest<T>) => new Promise<T>((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))))
  const open = (v: number, upgrade?: (db: IDBDatabase) => void) =>
    new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open(name, v)
      r.onupgradeneeded = () => upgrade?.(r.result)
      r.onsuccess = () => ok(r.result)
      r.onerror = () => fail(r.error)
      r.onblocked = () => fail(new Error('blocked by an open connection'))
    })
  const now = await open(4)
  const read = now.transaction(['roomSlabs', 'meta'])
  type Slab = { room: string; n: number; ids: string[]; authors: string[]; seqs: Float64Array; lamports: Float64Array; kinds: string[]; ends: Uint32Array; bytes: Uint8Array }
  const slabs = (await done(read.objectStore('roomSlabs').getAll())) as Slab[]
  const meta = await done(read.objectStore('meta').getAll())
  now.close()
  await done(indexedDB.deleteDatabase(name))
  const store = version === 2 ? 'events' : 'slabs'
  const old = await open(version, (db) => {
    if (version === 2) db.createObjectStore('events', { keyPath: ['room', 'id'] }).createIndex('order', ['room', 'lamport', 'id'])
    else db.createObjectStore('slabs', { keyPath: ['room', 'id'] }).createIndex('ids', 'keys', { unique: true, multiEntry: true })
    db.createObjectStore('meta', { keyPath: ['room', 'key'] })
  })
  const write = old.transaction([store, 'meta'], 'readwrite')
  for (const { n: _n, ids, ...s } of slabs) {
    if (version === 3) write.objectStore(store).put({ ...s, id: ids[0], keys: ids.map((id) => `${s.room} ${id}`) })
    else ids.forEach((id, i) => write.objectStore(store).put({ room: s.room, id, author: s.authors[i], seq: s.seqs[i], lamport: s.lamports[i], kind: s.kinds[i], bytes: s.bytes.slice(i === 0 ? 0 : s.ends[i - 1], s.ends[i]) }))
  }
  for (const m of meta) write.objectStore('meta').put(m)
  await new Promise((ok, fail) => ((write.oncomplete = ok), (write.onerror = () => fail(write.error))))
  old.close()
  return slabs.reduce((k, s) => k + s.ids.length, 0)
}

/** The event database's version and object stores, read without upgrading it. */
async function storesOf(name: string): Promise<{ version: number; stores: string[] }> {
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const r = indexedDB.open(name)
    r.onsuccess = () => ok(r.result)
    r.onerror = () => fail(r.error)
  })
  const out = { version: db.version, stores: [...db.objectStoreNames].sort() }
  db.close()
  return out
}
