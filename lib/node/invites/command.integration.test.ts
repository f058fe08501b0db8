/**
 * `chorus-mesh invite` against a running relay process, as an operator on the relay's host
 * uses it: make an agent invite, an agent joins with it, `invite list` shows the use, `revoke`
 * marks it in the room's log (the agent's replica sees it); without the admin token nothing is issued.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { selectInvites } from '../../core/state/select-invites'
import { startMeshAgent } from '../agent/mesh-agent'
import { until } from '../testing/until'
import { cli, freePorts, startRelayProcess, type RelayProcess } from '../testing/relay-process'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'chorus-invite-'))
  cleanup.push(() => rmSync(d, { recursive: true, force: true }))
  return d
}

function invite(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, 'invite', ...args], { encoding: 'utf8', env: { ...process.env, CHORUS_ADMIN_TOKEN: '' } })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('chorus-mesh invite', () => {
  it('makes an invite an agent joins with, lists its use, revokes it; refuses without the admin token', async () => {
    const data = tmp()
    const [port, httpPort] = await freePorts(2)
    const url = `http://127.0.0.1:${httpPort}`
    const relay: RelayProcess = await startRelayProcess(data, url, ['--port', String(port), '--http-port', String(httpPort), '--drain', '0'])
    cleanup.push(() => relay.kill())
    const at = ['--relay', url, '--data', data]

    const made = invite(['--role', 'agent', '--uses', '2', '--expires', '1d', ...at, '--json'])
    expect(made.err).toBe('')
    const { id, invite: text } = JSON.parse(made.out)
    expect(text).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(relay.output()).not.toContain(text)

    const agent = await startMeshAgent({ name: 'invited', relayUrl: url, dataDir: tmp(), invite: text, synchronous: 'NORMAL' })
    cleanup.push(() => agent.stop())
    expect(await agent.join()).toMatchObject({ status: 'member', role: 'agent' })

    let listed: Array<{ id: string; uses: number; usesLeft: number; status: string; role: string }> = []
    for (let i = 0; i < 50 && !(listed.find((x) => x.id === id)?.uses === 1); i++) {
      listed = JSON.parse(invite(['list', ...at, '--json']).out)
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(listed.find((x) => x.id === id)).toMatchObject({ role: 'agent', uses: 1, usesLeft: 1, status: 'active' })

    const revoked = invite(['revoke', id, ...at, '--json'])
    expect(revoked.err).toBe('')
    expect(JSON.parse(revoked.out)).toMatchObject({ id, status: 'revoked', usesLeft: 0 })
    expect(JSON.parse(invite(['list', ...at, '--json']).out).find((x: { id: string }) => x.id === id).status).toBe('revoked')
    // The record is the log: the agent's own replica knows the invite and its revocation.
    await until('the agent to see the revocation', () => selectInvites(agent.peer.host.replica.state, Date.now()).find((v) => v.nonce === id)?.status === 'revoked', 10_000)
    expect(invite(['revoke', 'no-such-invite', ...at]).err).toMatch(/404: no invite no-such-invite/)

    const stranger = invite(['--role', 'admin', '--relay', url, '--data', tmp()])
    expect(stranger.code).not.toBe(0)
    expect(stranger.err).toMatch(/no admin token/)
    const wrong = invite(['--role', 'admin', '--relay', url, '--admin-token', 'guess'])
    expect(wrong.err).toMatch(/401/)
    expect(invite(['--role', 'king', ...at]).err).toMatch(/--role king: expected one of admin, reviewer, agent, observer/)
  }, 180_000)
})
