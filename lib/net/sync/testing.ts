/** Test helpers for the sync protocol: a core replica as a round sees it, and an empty copy. */
import { Replica } from '../../core/state/replica'
import { testVerifier } from '../../core/testing/ed25519'
import type { SyncReplica } from './round'

/** The sync view of a core replica, as the network layer builds it. */
export function syncView(r: Replica): SyncReplica {
  return {
    room: r.log.room,
    summary: () => r.summary(),
    missingFrom: (remote) =>
      r
        .missingFrom(remote)
        .sort((x, y) => x.event.lamport - y.event.lamport || (x.id < y.id ? -1 : 1))
        .map((e) => e.bytes),
    async ingest(events) {
      let added = 0
      for (const e of events) if ((await r.add(e)).status === 'accepted') added++
      return added
    },
  }
}

/** A second replica of the same room holding only the genesis. */
export async function emptyCopy(source: Replica): Promise<Replica> {
  const r = new Replica({ room: source.log.room, verifier: testVerifier, now: () => Date.UTC(2026, 10, 22, 12) })
  await r.add(source.log.get(source.log.room)!)
  return r
}
