import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { bestKind, connectionKind } from './transport-kind'

const relay = '/ip4/127.0.0.1/tcp/7780/ws/p2p/12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
const peer = '12D3KooWBcs8gGxkQYfbLpDcyZa2kSvQx3WfHAjr6fv1jAeEJaCH'
const conn = (addr: string, limited = false, status: 'open' | 'closed' = 'open') => ({
  remoteAddr: multiaddr(addr),
  limits: limited ? { bytes: 131072n, seconds: 120 } : undefined,
  status,
})

describe('transport kind', () => {
  it('tells websocket, tcp, limited relayed and direct webrtc apart', () => {
    expect(connectionKind(conn(relay))).toBe('websocket')
    expect(connectionKind(conn('/ip4/127.0.0.1/tcp/4001/p2p/' + peer))).toBe('tcp')
    expect(connectionKind(conn(`${relay}/p2p-circuit/p2p/${peer}`, true))).toBe('relayed')
    expect(connectionKind(conn(`${relay}/p2p-circuit/webrtc/p2p/${peer}`))).toBe('webrtc')
    expect(connectionKind(conn(`/ip4/127.0.0.1/udp/1234/webrtc/p2p/${peer}`))).toBe('webrtc')
  })

  it('picks the best open connection and ignores closed ones', () => {
    expect(bestKind([])).toBe('none')
    expect(bestKind([conn(`${relay}/p2p-circuit/p2p/${peer}`, true), conn(`${relay}/p2p-circuit/webrtc/p2p/${peer}`)])).toBe('webrtc')
    expect(bestKind([conn(`${relay}/p2p-circuit/webrtc/p2p/${peer}`, false, 'closed')])).toBe('none')
  })
})
