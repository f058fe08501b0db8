import 'fake-indexeddb/auto'
import { openDB } from 'idb'
import { describe, expect, it } from 'vitest'
import { expectStoreError, record, runEventStoreContract } from './event-store.contract'
import { IDB_EVENTS_DB, IDB_SCHEMA_VERSION, openIdbStore } from './idb-store'

let n = 0
const freshName = () => `chorus-mesh-events-test-${n++}`

runEventStoreContract('indexeddb (fake-indexeddb)', () => {
  const name = freshName()
  return { open: () => openIdbStore({ name }) }
}, { persistent: true })

describe('indexeddb store', () => {
  it('uses its own database, not the identity database chorus-mesh', () => {
    expect(IDB_EVENTS_DB).toBe('chorus-mesh-events')
  })

  it('refuses a database created by a newer build, with reason version', async () => {
    const name = freshName()
    const newer = await openDB(name, IDB_SCHEMA_VERSION + 1)
    newer.close()
    const err = await expectStoreError(openIdbStore({ name }), 'version')
    expect(err.message).toContain(name)
  })

  it('steps aside when another tab upgrades the database, then fails calls with reason closed', async () => {
    const name = freshName()
    const store = await openIdbStore({ name })
    await store.putMany('r', [record('a', 1)])
    const upgraded = await openDB(name, IDB_SCHEMA_VERSION + 1)
    const err = await expectStoreError(store.count('r'), 'closed')
    expect(err.message).toContain('another tab upgraded')
    expect(await upgraded.count('events')).toBe(1)
    upgraded.close()
  })
})
