/**
 * The frame-cost trims (frame-costs.ts, ADR 0078) on real libp2p nodes over loopback TCP:
 * many small messages on one stream cost the receiver a window update per half window, not per
 * message, and a transfer far larger than the window still arrives whole; the length-prefix
 * decoder reads the same frames however the bytes are chunked, without asking its length
 * decoder about an empty buffer.
 */
import type { Stream } from '@libp2p/interface'
import { LengthPrefixedDecoder } from '@libp2p/utils'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { until } from '../node/testing/until'
import { trimFrameCosts } from './frame-costs'
import { loopbackNodes } from './testing/loopback'

const PROTOCOL = '/chorus-mesh/test/frames/1.0.0'
const WINDOW_UPDATE = 1
const node = loopbackNodes()

/** `b` counts the bytes and the window updates of the stream `a` opens, while `a` sends `chunks`. */
async function transfer(chunks: Uint8Array[]): Promise<{ received: number; windowUpdates: number }> {
  const [a, b] = [await node(), await node()]
  let received = 0
  let windowUpdates = 0
  let done = false
  await b.handle(PROTOCOL, (stream: Stream) => {
    const s = stream as unknown as { sendFrame(header: { type: number }, data?: unknown): void }
    const send = s.sendFrame.bind(s)
    s.sendFrame = (header, data) => {
      if (header.type === WINDOW_UPDATE) windowUpdates++
      return send(header, data)
    }
    stream.addEventListener('message', (e) => void (received += e.data.byteLength))
    stream.addEventListener('remoteCloseWrite', () => void (done = true))
  })
  const stream = await a.dialProtocol(b.getMultiaddrs()[0], PROTOCOL)
  for (const c of chunks) if (!stream.send(c)) await new Promise((r) => stream.addEventListener('drain', r, { once: true }))
  await stream.close()
  await until('the whole transfer to arrive', () => done, 30_000)
  return { received, windowUpdates }
}

describe('frame costs', () => {
  it('500 small messages on one stream cost the receiver a handful of window updates, not one each', async () => {
    const chunks = Array.from({ length: 500 }, () => new Uint8Array(200).fill(7))
    const { received, windowUpdates } = await transfer(chunks)
    expect(received).toBe(500 * 200)
    // One update per 32 KiB used (an eighth of yamux's 256 KiB window): three or four.
    expect(windowUpdates).toBeLessThan(10)
  })

  it('a transfer of 8 MiB, 32 times the initial window, arrives whole', async () => {
    const chunks = Array.from({ length: 128 }, (_, i) => new Uint8Array(64 * 1024).fill(i))
    const { received, windowUpdates } = await transfer(chunks)
    expect(received).toBe(8 * 1024 * 1024)
    expect(windowUpdates).toBeGreaterThan(0)
  })

  it('the length-prefix decoder reads the same frames however the bytes are chunked, and never asks about an empty buffer (property)', () => {
    trimFrameCosts()
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }), (frames, cuts) => {
        const wire = new Uint8Array(frames.reduce((n, f) => n + 2 + f.byteLength, 0))
        let at = 0
        for (const f of frames) {
          wire[at] = f.byteLength >> 8
          wire[at + 1] = f.byteLength & 0xff
          wire.set(f, at + 2)
          at += 2 + f.byteLength
        }
        let emptyAsks = 0
        const decoder = new LengthPrefixedDecoder({
          lengthDecoder: (data) => {
            if (data.byteLength === 0) emptyAsks++
            if (data.byteLength < 2) throw new RangeError('Could not decode int16BE')
            const head = data.subarray(0, 2)
            return (head[0] << 8) + head[1]
          },
          encodingLength: () => 2,
        })
        const out: Uint8Array[] = []
        for (let from = 0, i = 0; from < wire.byteLength; i++) {
          const to = Math.min(wire.byteLength, from + cuts[i % cuts.length])
          for (const f of decoder.decode(wire.subarray(from, to))) out.push(f.subarray())
          from = to
        }
        expect(out).toEqual(frames)
        expect(emptyAsks).toBe(0)
      }),
    )
  })
})
