/**
 * The relay's own surface as an operator and a browser meet it (real relay, real HTTP):
 * announced addresses and ICE servers in the room info, CORS only for configured origins,
 * the API token, `/readyz` going 503 while the relay drains, and metrics that
 * `promtool check metrics` accepts, with every `_total` series a counter.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startMeshAgent, type MeshAgent } from '../agent/mesh-agent'
import { requireTool } from '../testing/tools'
import { until } from '../testing/until'
import { scratch } from '../testing/scratch'
import { startRelay, type Relay, type RelayOptions } from '.'

const { running, tmp } = scratch('surface')
async function relay(o: Partial<RelayOptions> = {}): Promise<Relay> {
  const r = await startRelay({ dataDir: tmp(), host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 500, ...o })
  running.push(r)
  return r
}

describe('relay HTTP surface', () => {
  it('advertises the announced addresses and the ICE servers; only configured origins get CORS; the API token guards /api and /metrics but not the probes', async () => {
    const ice = [{ urls: 'stun:stun.chorus.localhost:3478' }, { urls: ['turn:turn.chorus.localhost:3478?transport=udp'], username: 'u', credential: 'p' }]
    const r = await relay({
      announce: ['/dns4/chorus.localhost/tcp/443/tls/ws/http-path/relay%2Fws'],
      iceServers: ice,
      corsOrigins: ['https://chorus.localhost'],
      apiToken: 'sekret-token',
    })
    const auth = { authorization: 'Bearer sekret-token' }
    expect((await fetch(`${r.httpUrl}/api/room`)).status).toBe(401)
    expect((await fetch(`${r.httpUrl}/api/room`, { headers: { authorization: 'Bearer wrong-token!' } })).status).toBe(401)
    expect((await fetch(`${r.httpUrl}/metrics`)).status).toBe(401)
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200)
    expect((await fetch(`${r.httpUrl}/readyz`)).status).toBe(200)
    const res = await fetch(`${r.httpUrl}/api/room`, { headers: { ...auth, origin: 'https://chorus.localhost' } })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://chorus.localhost')
    const info = await res.json()
    expect(info.relay.addrs).toEqual([`/dns4/chorus.localhost/tcp/443/tls/ws/http-path/relay%2Fws/p2p/${r.node.peerId}`])
    expect(info.iceServers).toEqual(ice)
    const foreign = await fetch(`${r.httpUrl}/api/room`, { headers: { ...auth, origin: 'https://evil.example' } })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${r.httpUrl}/api/room`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
  }, 60_000)

  it('answers /readyz 503 for the drain period while still serving, then closes', async () => {
    const r = await relay({ drainMs: 1500 })
    running.pop()
    const stopped = r.stop()
    await new Promise((res) => setTimeout(res, 200))
    const during = await fetch(`${r.httpUrl}/readyz`)
    expect(during.status).toBe(503)
    expect((await fetch(`${r.httpUrl}/healthz`)).status).toBe(200)
    await stopped
    await expect(fetch(`${r.httpUrl}/healthz`)).rejects.toThrow()
  }, 60_000)

  it('serves metrics promtool accepts, every _total series a counter, with ingest and sync histograms and build info', async () => {
    const promtool = requireTool('promtool')
    const r = await relay()
    const a: MeshAgent = await startMeshAgent({ name: 'writer', relayUrl: r.httpUrl, dataDir: tmp(), invite: await r.invite({ role: 'agent' }), syncIntervalMs: 500, synchronous: 'NORMAL' })
    running.push(a)
    expect(await a.join()).toMatchObject({ status: 'member' })
    for (let i = 0; i < 5; i++) await a.peer.author('task.claimed', { taskId: `t${i}`, projectId: 'p', repository: 'r', title: `Task ${i}`, description: '' })
    // The agent's five claims, not a log size: the relay writes the genesis, invites and the join itself.
    await until('the relay to hold the writes and finish sync rounds', () => r.peer.host.replica.state.tasks.size === 5 && r.peer.sync.stats.rounds > 0, 30_000)
    const text = await (await fetch(`${r.httpUrl}/metrics`)).text()
    const check = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(check.stdout + check.stderr).toBe('')
    expect(check.status).toBe(0)
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]))
    const notCounters = [...types].filter(([name, type]) => name.endsWith('_total') && type !== 'counter')
    expect(notCounters).toEqual([])
    expect(types.get('chorus_ingest_seconds')).toBe('histogram')
    expect(types.get('chorus_sync_round_seconds')).toBe('histogram')
    expect(text).toMatch(/^chorus_build_info\{version="[^"]+",nodejs="[^"]+"\} 1$/m)
    // The writes arrive by gossip or, on a loaded machine before the gossip mesh forms, by sync.
    const ingested = [...text.matchAll(/^chorus_ingest_seconds_count\{source="(gossip|sync)"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[2]), 0)
    expect(ingested, text).toBeGreaterThan(0)
    expect(text).toMatch(/^chorus_events_total\{outcome="accepted"\} [1-9]/m)
  }, 90_000)
})
