import { once } from 'node:events'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { until } from '../testing/until'
import { batchSocketWrites } from './socket-batch'

const open: Array<{ close(): void }> = []
afterEach(() => {
  for (const x of open.splice(0)) x.close()
})

/** A server and a client on loopback; counts the socket writes the server side makes. */
async function pair(): Promise<{ server: WebSocket; got: string[]; writes: () => number; closed: Promise<unknown> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  open.push(wss)
  await once(wss, 'listening')
  const accepted = once(wss, 'connection')
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`)
  open.push(client)
  const got: string[] = []
  client.on('message', (d) => got.push(d.toString()))
  const closed = once(client, 'close')
  const [server] = (await accepted) as [WebSocket]
  const socket = (server as unknown as { _socket: Socket & { _writev?: (...a: unknown[]) => void; _write: (...a: unknown[]) => void } })._socket
  let writes = 0
  for (const m of ['_write', '_writev'] as const) {
    const f = socket[m]
    if (typeof f === 'function') socket[m] = (...a: unknown[]) => (writes++, f.apply(socket, a))
  }
  return { server, got, writes: () => writes, closed }
}

describe('batchSocketWrites', () => {
  batchSocketWrites()

  it('sends the messages of one tick in one socket write, whole and in order', async () => {
    const p = await pair()
    const sent = Array.from({ length: 200 }, (_, i) => `frame ${i} ${'x'.repeat(i % 7 === 0 ? 70_000 : 40)}`)
    for (const m of sent) p.server.send(Buffer.from(m))
    await until('the client to receive every message', () => p.got.length >= sent.length, 20_000)
    expect(p.got).toEqual(sent)
    // Without batching each message is its own write (200).
    expect(p.writes()).toBeLessThanOrEqual(3)
  })

  it('still sends messages of separate ticks as they come', async () => {
    const p = await pair()
    for (let i = 0; i < 5; i++) {
      p.server.send(Buffer.from(`tick ${i}`))
      await until(`message ${i}`, () => p.got.length > i, 20_000)
    }
    expect(p.got).toEqual(['tick 0', 'tick 1', 'tick 2', 'tick 3', 'tick 4'])
  })

  it('delivers what was sent in the tick of a close before the close', async () => {
    const p = await pair()
    for (let i = 0; i < 50; i++) p.server.send(Buffer.from(`last ${i}`))
    p.server.close()
    await p.closed
    expect(p.got).toEqual(Array.from({ length: 50 }, (_, i) => `last ${i}`))
  })
})
