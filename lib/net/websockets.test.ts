/**
 * Tabs behind a relay under a path prefix: the stock WebRTC listener advertises no `/webrtc`
 * address for a circuit through `…/http-path/…` (no tab could dial it directly); the wrapped
 * one does, once, signals listening for it, and its dial filter takes such addresses.
 */
import { webRTC } from '@libp2p/webrtc'
import type { Listener, Transport } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { pathWebRTC, withoutHttpPath } from './websockets'

const RELAY = '12D3KooWKAeioCNYYSaLxyrELbjhipScZEwWFc3NfSQSRiM13XZm'
const TAB = '12D3KooWHecXmJYUKyrbujdmcBbN3BHr1mxcy5zURHUkWeUhPzpU'
const viaPath = `/dns4/chorus.example.com/tcp/443/tls/ws/http-path/relay%2Fws/p2p/${RELAY}/p2p-circuit`
const plain = `/ip4/127.0.0.1/tcp/7780/ws/p2p/${RELAY}/p2p-circuit`

function setup(make: (c: never) => Transport, circuitAddrs: string[]) {
  const log = Object.assign(() => {}, { error() {}, trace() {}, enabled: false })
  const listeners: Listener[] = []
  const circuit = { getAddrs: () => circuitAddrs.map((a) => multiaddr(a)) } as unknown as Listener
  const components = {
    logger: { forComponent: () => log },
    events: new EventTarget(),
    transportManager: { getListeners: () => listeners },
  }
  const t = make(components as never)
  const l = t.createListener({} as never)
  listeners.push(circuit, l)
  return { t, l, circuit, events: components.events }
}

const strings = (l: Listener) => l.getAddrs().map((a) => a.toString())

describe('pathWebRTC', () => {
  it('advertises /webrtc through a relay under a path, which the stock listener does not', () => {
    expect(strings(setup(webRTC(), [viaPath, plain]).l)).toEqual([`${plain}/webrtc`])
    expect(strings(setup(pathWebRTC(webRTC()), [viaPath, plain]).l).sort()).toEqual([`${plain}/webrtc`, `${viaPath}/webrtc`].sort())
    expect(strings(setup(pathWebRTC(webRTC()), [plain]).l)).toEqual([`${plain}/webrtc`])
  })

  it('signals listening once for a path-only circuit, and dials such addresses', async () => {
    for (const addrs of [[viaPath], [plain], [viaPath, plain]]) {
      const { t, l, circuit, events } = setup(pathWebRTC(webRTC()), addrs)
      let signals = 0
      l.addEventListener('listening', () => signals++)
      await l.listen(multiaddr('/webrtc'))
      events.dispatchEvent(new CustomEvent('transport:listening', { detail: circuit }))
      expect(signals, addrs.join(' ')).toBe(1)
      const dialable = `${addrs[0]}/webrtc/p2p/${TAB}`
      expect(t.dialFilter([multiaddr(dialable)]).map(String)).toEqual([dialable])
    }
    expect(withoutHttpPath(multiaddr(viaPath)).toString()).toBe(`/dns4/chorus.example.com/tcp/443/tls/ws/p2p/${RELAY}/p2p-circuit`)
  })
})
