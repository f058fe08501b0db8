/**
 * The demo against a real relay on loopback: within seconds the room shows the five CHORUS
 * scenarios — two sessions resolved by consensus, one awaiting a human's approval, one
 * escalated by message limit, one conflict — and a second run against the same room adds no
 * claims and no sessions.
 */
import { describe, expect, it } from 'vitest'
import { rankClaimants } from '../../core/planner/conflict'
import { sessionIdOf } from '../../core/sessions/ids'
import type { SessionId } from '../../core/ids'
import type { RoomState } from '../../core/state/types'
import { startRelay, type Relay } from '../relay'
import { startDemo } from './run'
import { selectRequests } from '../../core/state/selectors'
import { until as waitUntil } from '../testing/until'
import { scratch } from '../testing/scratch'

const { running, tmp } = scratch('demo')

const until = (what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 90_000) => waitUntil(what, fn, timeoutMs)

const S = {
  auth: sessionIdOf('dependency', ['auth-api', 'login-page'], 'API_Contract'),
  prefs: sessionIdOf('dependency', ['prefs-table', 'user-service'], 'Database_Schema'),
  flag: sessionIdOf('dependency', ['checkout-checks', 'checkout-flag'], 'Configuration_Dependency'),
  jwt: sessionIdOf('dependency', ['auth-middleware', 'jwt-refresh'], 'Security_Compliance'),
  conflict: sessionIdOf('conflict', ['contributor-guide'], 'conflict'),
}

/** Resolved, and possibly closed since because every task of it was completed. */
const resolved = (s: RoomState, id: SessionId) => s.sessions.get(id)?.resolution != null && s.sessions.get(id)?.status !== 'escalated'

const settled = (s: RoomState) =>
  resolved(s, S.auth) &&
  resolved(s, S.prefs) &&
  s.sessions.get(S.jwt)?.status === 'escalated' &&
  s.sessions.get(S.flag)?.status === 'escalated' &&
  resolved(s, S.conflict) &&
  s.tasks.get('contributor-guide')?.claimants.length === 1

describe('chorus-mesh demo', () => {
  it('plays the five scenarios within seconds, and a re-run adds nothing', async () => {
    const relayDir = tmp()
    const relay: Relay = await startRelay({ dataDir: relayDir, host: '127.0.0.1', port: 0, httpPort: 0, presenceIntervalMs: 500, syncIntervalMs: 1000 })
    running.push(relay)
    const invite = await relay.invite({ role: 'agent', maxUses: 20 })
    const state = () => relay.peer.host.replica.state

    const t0 = Date.now()
    let demo = await startDemo({ relayUrl: relay.httpUrl, invite, dataDir: relayDir })
    running.push(demo)
    await until('the five scenarios on the relay', () => settled(state()))
    console.log(`demo: start → all five scenarios on the relay in ${Date.now() - t0} ms`)

    const s = state()
    expect(s.sessions.get(S.auth)!.plans.length).toBe(2) // the cautious web agent's concern led to v2
    expect(s.sessions.get(S.auth)!.resolution?.reason).toBe('consensus')
    expect(s.sessions.get(S.prefs)!.resolution?.reason).toBe('consensus')
    const flag = s.sessions.get(S.flag)!
    // Both deferring agents ask a reviewer: a question each (or one, if the other saw the request
    // first), then a request for a human with no objection to the plan: an approval request.
    expect(flag.status).toBe('escalated')
    expect(flag.escalation?.reason).toBe('requested')
    expect(flag.messages.length).toBeGreaterThanOrEqual(1)
    expect(flag.messages.every((m) => m.type === 'question')).toBe(true)
    expect(selectRequests(s).find((q) => q.session === S.flag)?.kind).toBe('approval')
    expect(s.sessions.get(S.jwt)!.escalation?.reason).toBe('message_limit')
    expect(s.sessions.get(S.conflict)!.type).toBe('conflict')
    // The claimant the conflict plan does not keep the task with stepped back.
    const guide = s.tasks.get('contributor-guide')!
    expect(guide.claimants).toEqual([rankClaimants('contributor-guide', s.sessions.get(S.conflict)!.participants)[0]])
    // Only the intended pairs: the JWT agents started after the auth pair completed.
    expect([...s.sessions.keys()].sort()).toEqual(Object.values(S).sort())

    await demo.stop()
    running.splice(running.indexOf(demo), 1)

    // A re-run authors no claim, session or plan. Counted in the log by authoring time rather
    // than in the folded state: an event the first run wrote but had not delivered yet may still
    // arrive and re-order the fold (a plan can drop out), and that is not the re-run's doing.
    const restartedAt = Date.now()
    demo = await startDemo({ relayUrl: relay.httpUrl, dataDir: relayDir })
    running.push(demo)
    await demo.started
    await new Promise((r) => setTimeout(r, 3000))
    const ACTS = new Set(['task.claimed', 'session.opened', 'plan.proposed'])
    const byRerun = relay.peer.host.replica.log.all().filter((e) => ACTS.has(e.event.kind) && e.event.time >= restartedAt)
    expect(byRerun.map((e) => e.event.kind)).toEqual([])
    expect(settled(state())).toBe(true)
  }, 180_000)
})
