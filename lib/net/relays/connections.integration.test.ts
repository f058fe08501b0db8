/**
 * A connection stays up while a ping on it is slow: two real libp2p nodes on loopback with the
 * room's services, one of them holding a ping stream open (as the presence probe does while a
 * loaded peer has not answered yet) while its connection monitor pings every 100 ms.
 */
import { describe, expect, it } from 'vitest'
import { loopbackNodes } from '../testing/loopback'
import { patientConnectionMonitor } from './connections'

const loopback = loopbackNodes()
const start = (pingInterval: number) => loopback({ init: { connectionMonitor: { ...patientConnectionMonitor, pingInterval } } })

describe('connections under slow pings', () => {
  it('the connection monitor does not drop a connection while another ping on it is still waiting', async () => {
    const [a, b] = [await start(100), await start(100)]
    const conn = await a.dial(b.getMultiaddrs()[0])
    let closed = false
    a.addEventListener('connection:close', () => (closed = true))
    // A ping that has not been answered yet: the stream is open, nothing written.
    const waiting = await conn.newStream('/ipfs/ping/1.0.0')
    // Ten monitor rounds on each side while it waits.
    await new Promise((r) => setTimeout(r, 1000))
    expect(closed).toBe(false)
    expect(conn.status).toBe('open')
    expect(conn.rtt).toBeGreaterThanOrEqual(0)
    await waiting.close()
  })

  it('several pings on one connection run at once', async () => {
    const [a, b] = [await start(60_000), await start(60_000)]
    await a.dial(b.getMultiaddrs()[0])
    const rtts = await Promise.all(Array.from({ length: 4 }, () => a.services.ping.ping(b.peerId)))
    expect(rtts).toHaveLength(4)
  })
})
