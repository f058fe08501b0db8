import { describe, expect, it } from 'vitest'
import type { MultiaddrConnection } from '@libp2p/interface'
import { joinWrites, MAX_MESSAGE, sentMessages } from './ws-messages'

/** A stand-in for the stock connection: records the messages its `sendData` is given. */
function fakeConn() {
  const messages: Uint8Array[][] = []
  const conn = { sendData: (data: Iterable<Uint8Array> & { byteLength: number }) => (messages.push([...data]), { sentBytes: data.byteLength, canSendMore: true }) }
  return { conn: joinWrites(conn as unknown as MultiaddrConnection) as unknown as typeof conn, messages }
}

const chunks = (...sizes: number[]) => Object.assign(sizes.map((n) => new Uint8Array(n).fill(n % 251)), { byteLength: sizes.reduce((a, b) => a + b, 0) })

describe('joinWrites', () => {
  it('sends a write of several chunks as one message and counts the messages sent', () => {
    const { conn, messages } = fakeConn()
    const before = sentMessages.count
    conn.sendData(chunks(2, 100))
    conn.sendData(chunks(MAX_MESSAGE, 2, 100))
    expect(messages.map((m) => m.map((b) => b.byteLength))).toEqual([[102], [MAX_MESSAGE, 102]])
    expect(sentMessages.count - before).toBe(3)
  })
})
