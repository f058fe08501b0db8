/**
 * One WebSocket message per write (ws-messages.ts, ADR 0094) on a real relay connection: a
 * node built as an agent's dials the relay's libp2p node through a loopback TCP proxy that
 * reads the WebSocket frames in both directions. Past the connection's plaintext start (up to
 * multistream-select's `/noise`), the bytes are noise frames (2-byte length, then that many
 * bytes); every WebSocket message must start and end on a frame boundary, and carry whole
 * frames — the stock connection sends each frame's prefix and ciphertext as two messages.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createRelayNode, type RelayNode } from '../node/relay/node'
import { until } from '../node/testing/until'
import { meshServices, type MeshServices } from './services'
import { pathWebSockets } from './websockets'
import { joinChunks } from './ws-messages'

/** The WebSocket messages of one direction, each as the byte range it covers in the unmasked stream. */
class WsReader {
  private buf = Buffer.alloc(0)
  private handshake = true
  stream = Buffer.alloc(0)
  messages: Array<[number, number]> = []
  private open = -1

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk])
    if (this.handshake) {
      const end = this.buf.indexOf('\r\n\r\n')
      if (end < 0) return
      this.buf = this.buf.subarray(end + 4)
      this.handshake = false
    }
    for (;;) {
      if (this.buf.length < 2) return
      const fin = (this.buf[0] & 0x80) !== 0
      const opcode = this.buf[0] & 0x0f
      const masked = (this.buf[1] & 0x80) !== 0
      let len = this.buf[1] & 0x7f
      let at = 2
      if (len === 126) {
        if (this.buf.length < 4) return
        len = this.buf.readUInt16BE(2)
        at = 4
      } else if (len === 127) {
        if (this.buf.length < 10) return
        len = Number(this.buf.readBigUInt64BE(2))
        at = 10
      }
      const mask = masked ? this.buf.subarray(at, at + 4) : undefined
      if (masked) at += 4
      if (this.buf.length < at + len) return
      const payload = Buffer.from(this.buf.subarray(at, at + len))
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4]
      this.buf = this.buf.subarray(at + len)
      if (opcode >= 8) continue // ping, pong, close: not data
      if (opcode !== 0) this.open = this.stream.length
      this.stream = Buffer.concat([this.stream, payload])
      if (fin) this.messages.push([this.open, this.stream.length])
    }
  }

  /** Noise frames and messages past the plaintext start; each message's boundaries checked against the frames'. */
  frames(): { frames: number; messages: number; misaligned: number } {
    const start = this.stream.indexOf('/noise\n')
    if (start < 0) return { frames: 0, messages: 0, misaligned: 0 }
    const from = start + '/noise\n'.length
    const bounds = new Set<number>([from])
    let at = from
    let frames = 0
    while (at + 2 <= this.stream.length) {
      const next = at + 2 + this.stream.readUInt16BE(at)
      if (next > this.stream.length) break
      at = next
      bounds.add(at)
      frames++
    }
    const after = this.messages.filter(([s, e]) => s >= from && e <= at)
    const misaligned = after.filter(([s, e]) => !bounds.has(s) || !bounds.has(e)).length
    return { frames, messages: after.length, misaligned }
  }
}

/** A loopback TCP proxy to `port` that reads both directions' WebSocket frames. */
async function wsProxy(port: number): Promise<{ server: Server; port: number; up: WsReader; down: WsReader }> {
  const up = new WsReader()
  const down = new WsReader()
  const sockets: Socket[] = []
  const server = createServer((client) => {
    const relay = connect(port, '127.0.0.1')
    sockets.push(client, relay)
    client.on('data', (d) => (up.push(d), relay.write(d)))
    relay.on('data', (d) => (down.push(d), client.write(d)))
    client.on('close', () => relay.destroy())
    relay.on('close', () => client.destroy())
    client.on('error', () => relay.destroy())
    relay.on('error', () => client.destroy())
  })
  server.on('close', () => sockets.forEach((s) => s.destroy()))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  if (addr == null || typeof addr === 'string') throw new Error('proxy has no port')
  return { server, port: addr.port, up, down }
}

const stops: Array<() => unknown> = []
afterEach(async () => {
  await Promise.all(stops.splice(0).map(async (s) => s()))
})

describe('one WebSocket message per write', () => {
  it('the relay and an agent send whole noise frames, never a length prefix apart from its ciphertext', async () => {
    const relay: RelayNode = await createRelayNode({ privateKey: await generateKeyPair('Ed25519'), room: 'bafy-room', host: '127.0.0.1', port: 0 })
    stops.push(() => relay.stop())
    const relayPort = Number(/\/tcp\/(\d+)\//.exec(relay.getMultiaddrs()[0].toString())?.[1])
    const proxy = await wsProxy(relayPort)
    stops.push(() => new Promise((r) => proxy.server.close(r)))
    const agent: Libp2p<MeshServices> = await createLibp2p({
      addresses: { listen: [] },
      transports: [pathWebSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: () => false },
      services: meshServices({ room: 'bafy-room' }),
    })
    stops.push(() => agent.stop())

    const target = multiaddr(`/ip4/127.0.0.1/tcp/${proxy.port}/ws/p2p/${relay.peerId.toString()}`)
    await agent.dial(target)
    for (let i = 0; i < 20; i++) await agent.services.ping.ping(target)
    await until('both directions to carry 20 noise frames', () => proxy.up.frames().frames >= 20 && proxy.down.frames().frames >= 20, 20_000)

    for (const side of [proxy.up.frames(), proxy.down.frames()]) {
      expect(side.misaligned).toBe(0)
      expect(side.messages).toBeLessThanOrEqual(side.frames)
    }
  }, 60_000)
})

describe('joinChunks', () => {
  it('keeps every byte in order, in messages no larger than the cap unless a chunk alone is', () => {
    const chunk = fc.uint8Array({ maxLength: 300 }).map((a) => new Uint8Array(a))
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 20 }), fc.integer({ min: 1, max: 600 }), (chunks, max) => {
        const out = joinChunks(chunks, max)
        expect(Buffer.concat(out)).toEqual(Buffer.concat(chunks))
        for (const m of out) expect(m.byteLength <= max || chunks.some((c) => c === m)).toBe(true)
        expect(out.length).toBeLessThanOrEqual(Math.max(chunks.length, 0))
      }),
      { numRuns: 200 },
    )
  })
})
