/** The agent's `--listen` addresses: multiaddrs a Node agent can listen on (TCP, or WebSockets over TCP). */
import { multiaddr } from '@multiformats/multiaddr'

/** Checks one `--listen` value and appends it (commander's repeatable-option reducer). */
export function collectListenAddr(value: string, previous: string[] = []): string[] {
  const addrs = value.split(',').map((s) => s.trim()).filter(Boolean)
  for (const addr of addrs) {
    let names: string[]
    try {
      names = multiaddr(addr).getComponents().map((c) => c.name)
    } catch (err) {
      throw new Error(`--listen ${addr}: not a multiaddr (${(err as Error).message}); e.g. /ip4/0.0.0.0/tcp/7790 or /ip4/0.0.0.0/tcp/7791/ws`)
    }
    const transport = names.filter((n) => n !== 'ip4' && n !== 'ip6' && n !== 'dns4' && n !== 'dns6' && n !== 'tcp')
    if (!names.includes('tcp') || transport.some((n) => n !== 'ws')) {
      throw new Error(`--listen ${addr}: an agent listens on TCP or WebSockets only, e.g. /ip4/0.0.0.0/tcp/7790 or /ip4/0.0.0.0/tcp/7791/ws`)
    }
  }
  return [...previous, ...addrs]
}
