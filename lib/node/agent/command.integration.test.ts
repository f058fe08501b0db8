/**
 * `chorus-mesh agent` end to end (in-process, real relay on loopback): two CLI agents with
 * `--task` flags and policies `agree` and `cautious` log JSON lines, the cautious one's concern
 * makes the primary write a second plan version, and the session resolves on it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sessionIdOf } from '../../core/sessions/ids'
import { startRelay, type Relay } from '../relay'
import { runAgentCommand, type AgentCommandOptions } from './command'
import { until as waitUntil } from '../testing/until'

const dirs: string[] = []
afterEach(() => {
  vi.restoreAllMocks()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const until = (what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 45_000) => waitUntil(what, fn, timeoutMs)

describe('chorus-mesh agent', () => {
  it('claims --task flags, answers by --policy and logs JSON lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-cli-agent-'))
    dirs.push(dir)
    const relay: Relay = await startRelay({ dataDir: dir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500 })
    const lines: Array<Record<string, unknown>> = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line))))
    let stop!: () => void
    const stopped = new Promise<void>((r) => (stop = r))
    const base = { relay: relay.httpUrl, data: dir, invite: await relay.invite({ role: 'agent' }), json: true, descriptions: [] } as const
    const api: AgentCommandOptions = { ...base, name: 'api-agent', repo: 'api', tasks: ['Define user authentication API'], descriptions: ['REST contract for signing users in and out'], policy: 'agree' }
    const web: AgentCommandOptions = { ...base, name: 'web-agent', repo: 'web', tasks: ['Build the login page'], descriptions: ['Form that calls the authentication API'], policy: 'cautious' }
    const runs = [runAgentCommand(api, stopped), runAgentCommand(web, stopped)]
    try {
      const session = sessionIdOf('dependency', ['api-define-user-authentication-api', 'web-build-the-login-page'], 'API_Contract')
      await until('the session to resolve', () => relay.peer.host.replica.state.sessions.get(session)?.status === 'resolved')
      const s = relay.peer.host.replica.state.sessions.get(session)!
      expect(s.plans.map((p) => p.version)).toEqual([1, 2])
      expect(s.messages.filter((m) => m.type === 'concern')).toHaveLength(1)
      expect(lines.filter((l) => l.event === 'joined').map((l) => l.policy).sort()).toEqual(['agree', 'cautious'])
      // `claimed` is logged once the claim is durable and published; others may act on it first.
      await until('both claims logged', () => lines.filter((l) => l.event === 'claimed').length === 2)
      expect(lines.some((l) => l.event === 'replied' && l.type === 'concern' && l.version === 1)).toBe(true)
      await until('both agents to log the resolution', () => lines.filter((l) => l.event === 'session' && l.status === 'resolved').length === 2)
      expect(lines.every((l) => typeof l.time === 'string')).toBe(true)
    } finally {
      stop()
      await Promise.all(runs)
      await relay.stop()
    }
  }, 90_000)
})
