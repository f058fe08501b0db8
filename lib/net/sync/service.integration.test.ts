import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { replicaRoom } from '../../core/testing/replica'
import { streamChannel } from './libp2p-channel'
import { SYNC_PROTOCOL, type SyncMessage } from './messages'
import { respondRound } from './round'
import { SyncService } from './service'
import { emptyCopy, syncView } from './testing'

const nodes: Libp2p[] = []
const services: SyncService[] = []
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()))
  await Promise.all(nodes.splice(0).map((n) => n.stop()))
})

async function node(): Promise<Libp2p> {
  const n = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  nodes.push(n)
  return n
}

async function roomWithAuthors(n: number) {
  const room = await replicaRoom()
  for (let i = 0; i < n; i++) await room.member(`agent-${i}`, 'agent')
  return { full: room.replica, copy: await emptyCopy(room.replica) }
}

describe('sync service over libp2p', () => {
  it('probes a peer that speaks 1.1.0 with the root alone once both hold the same events', async () => {
    const { full, copy } = await roomWithAuthors(30)
    const [a, b] = await Promise.all([node(), node()])
    const sa = new SyncService(a, { replica: syncView(copy) })
    const sb = new SyncService(b, { replica: syncView(full) })
    services.push(sa, sb)
    await Promise.all([sa.start(), sb.start()])
    await a.dial(b.getMultiaddrs())
    const first = await sa.syncWith(b.peerId)
    expect(first).toMatchObject({ equal: false, received: full.log.size - 1 })
    expect(copy.summary().root).toBe(full.summary().root)
    const again = await sa.syncWith(b.peerId)
    expect(again).toMatchObject({ equal: true })
    expect(again!.bytesSent).toBeLessThan(200)
  })

  it('syncs with a peer that speaks only 1.0.0, opening with the whole summary', async () => {
    const { full, copy } = await roomWithAuthors(5)
    const [a, b] = await Promise.all([node(), node()])
    const sa = new SyncService(a, { replica: syncView(copy) })
    services.push(sa)
    await sa.start()
    const openings: Array<SyncMessage['t']> = []
    await b.handle(SYNC_PROTOCOL, (stream) => {
      const ch = streamChannel(stream)
      let first = true
      const seen = { ...ch, receive: async () => {
        const m = await ch.receive()
        if (first) (openings.push(m.t), (first = false))
        return m
      } }
      void respondRound(seen as typeof ch, syncView(full)).catch(() => undefined).finally(() => ch.close())
    })
    await a.dial(b.getMultiaddrs())
    expect(await sa.syncWith(b.peerId)).toMatchObject({ equal: false, received: full.log.size - 1 })
    expect(await sa.syncWith(b.peerId)).toMatchObject({ equal: true })
    expect(openings).toEqual(['hello', 'hello'])
    expect(copy.summary().root).toBe(full.summary().root)
  })
})
