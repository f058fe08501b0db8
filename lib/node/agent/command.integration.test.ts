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
import { PassThrough } from 'node:stream'
import { runAgentCommand, runOneCommand, type AgentCommandOptions } from './command'
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

  it('--stdin: a person claims, reads the plan, says agreement, asks ready; complete runs as a one-shot command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-cli-stdin-'))
    dirs.push(dir)
    const relay: Relay = await startRelay({ dataDir: dir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 300, syncIntervalMs: 500 })
    const lines: Array<Record<string, unknown>> = []
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line))))
    let stopApi!: () => void
    let stopAll!: () => void
    const apiStopped = new Promise<void>((r) => (stopApi = r))
    const allStopped = new Promise<void>((r) => (stopAll = r))
    const stdin = new PassThrough()
    const base = { relay: relay.httpUrl, data: dir, invite: await relay.invite({ role: 'agent', maxUses: 5 }), json: true, descriptions: [] as string[] }
    const api = runAgentCommand({ ...base, name: 'api-agent', repo: 'acme/identity', project: 'acme', tasks: ['Define user authentication API'], descriptions: ['REST contract for signing users in and out'], policy: 'agree' }, apiStopped)
    const person = runAgentCommand({ ...base, name: 'web-person', repo: 'acme/web', tasks: [], policy: 'manual', stdin }, allStopped)
    try {
      await until('api task claimed', () => lines.some((l) => l.event === 'claimed' && l.task === 'acme-identity-define-user-authentication-api'))
      await until('the api task at the relay', () => relay.peer.host.replica.state.tasks.size === 1)
      expect([...relay.peer.host.replica.state.tasks.values()][0].task.projectId).toBe('acme')
      stdin.write(JSON.stringify({ op: 'claim', id: 'c1', task: { taskId: 'login-page', repository: 'acme/web', title: 'Build the login page', description: 'Form that calls the authentication API' } }) + '\n')
      await until('the claim result', () => lines.some((l) => l.event === 'result' && l.id === 'c1'))
      await until('the plan as an activity line', () => lines.some((l) => l.event === 'plan' && typeof l.planText === 'string'))
      // The words link the pair under more than one relationship: the person answers each plan.
      const answered = new Set<unknown>()
      const settled = () => {
        for (const plan of lines.filter((l) => l.event === 'plan' && !answered.has(l.session))) {
          answered.add(plan.session)
          stdin.write(`say ${plan.session} agreement Looks good, I build on the contract.\n`)
        }
        const state = relay.peer.host.replica.state
        const sessions = [...state.sessions.keys()]
        // One session per detected relationship; they may open a moment apart. The person's own
        // journal (its lines carry a seq) must show each resolved: one elected peer writes the
        // resolution, and the person answers ready from its own replica.
        return sessions.length > 0 && sessions.length === state.dependencies.size && sessions.every((id) => lines.some((l) => l.event === 'session' && 'seq' in l && l.session === id && l.status === 'resolved'))
      }
      await until('every session resolved', settled)
      stdin.write('ready login-page\n')
      await until('the ready answer', () => lines.some((l) => l.event === 'result' && l.op === 'ready'))
      expect(lines.find((l) => l.op === 'ready')!.result).toMatchObject({ ready: false, text: 'Wait for acme-identity-define-user-authentication-api.' })
      stdin.write('dance\n')
      await until('the refusal', () => lines.some((l) => l.event === 'error' && String(l.message).includes('unknown command')))

      stopApi()
      await api
      const code = await runOneCommand({ name: 'api-agent', relay: relay.httpUrl, data: dir }, JSON.stringify({ op: 'complete_task', taskId: 'acme-identity-define-user-authentication-api', note: 'merged' }), { taskId: 'acme-identity-define-user-authentication-api' })
      expect(code).toBe(0)
      await until('login-page to become ready', () => lines.some((l) => l.event === 'ready' && l.taskId === 'login-page' && l.ready === true))
    } finally {
      stopApi()
      stopAll()
      stdin.end()
      await Promise.all([api, person])
      await relay.stop()
    }
  }, 120_000)
})
