import { describe, expect, it } from 'vitest'
import { collectListenAddr } from './listen'

describe('--listen', () => {
  it('takes TCP and WebSockets addresses, repeated or comma-separated', () => {
    const once = collectListenAddr('/ip4/0.0.0.0/tcp/7790')
    expect(collectListenAddr('/ip6/::/tcp/7791/ws, /dns4/agents.lan/tcp/7792', once)).toEqual(['/ip4/0.0.0.0/tcp/7790', '/ip6/::/tcp/7791/ws', '/dns4/agents.lan/tcp/7792'])
  })

  it('refuses what an agent cannot listen on, naming the value', () => {
    expect(() => collectListenAddr('0.0.0.0:7790')).toThrow(/--listen 0\.0\.0\.0:7790: not a multiaddr/)
    expect(() => collectListenAddr('/ip4/0.0.0.0/udp/7790/quic-v1')).toThrow(/TCP or WebSockets only/)
    expect(() => collectListenAddr('/ip4/0.0.0.0/tcp/7790/tls/ws')).toThrow(/TCP or WebSockets only/)
    expect(() => collectListenAddr('/ip4/1.2.3.4/tcp/1/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo/p2p-circuit')).toThrow(/TCP or WebSockets only/)
  })
})
